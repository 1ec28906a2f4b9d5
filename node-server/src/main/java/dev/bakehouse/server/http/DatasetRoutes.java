package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.files.DatasetFiles;
import dev.bakehouse.server.files.FileRefusal;
import dev.bakehouse.server.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The dataset view's routes (Bakehouse's own, not ComfyUI's): {@code GET /bakehouse/datasets}
 * (folder names), {@code GET /bakehouse/datasets/{name}} (subsets with repeats, images, captions),
 * {@code GET /bakehouse/datasets/{name}/image?file=<subset>/<image>} (the bytes) and
 * {@code PUT /bakehouse/datasets/{name}/caption} with {@code {"file", "caption"}}. Refusals answer
 * {@code {"error": "..."}} with 400 or 404 (see {@link DatasetFiles}).
 */
public final class DatasetRoutes {
    private final DatasetFiles datasets;

    public DatasetRoutes(DatasetFiles datasets) {
        this.datasets = datasets;
    }

    public void register(ApiRouter router) {
        router.get("/bakehouse/datasets", this::names);
        router.get("/bakehouse/datasets/{name}", this::list);
        router.get("/bakehouse/datasets/{name}/image", this::image);
        router.put("/bakehouse/datasets/{name}/caption", this::caption);
    }

    private void names(Context ctx) throws IOException {
        ObjectNode body = Json.object();
        ArrayNode names = body.putArray("datasets");
        datasets.names().forEach(names::add);
        JsonBodies.respond(ctx, body);
    }

    private void list(Context ctx) throws FileRefusal, IOException {
        DatasetFiles.Listing listing = datasets.list(ctx.pathParam("name"));
        ObjectNode body = Json.object();
        body.put("name", listing.name());
        body.put("caption_extension", DatasetFiles.CAPTION_EXTENSION);
        ArrayNode subsets = body.putArray("subsets");
        for (DatasetFiles.Subset subset : listing.subsets()) {
            ObjectNode s = subsets.addObject();
            s.put("folder", subset.folder());
            s.put("repeats", subset.repeats());
            s.put("class_tokens", subset.classTokens());
            ArrayNode images = s.putArray("images");
            subset.images().forEach(image -> images.add(json(image)));
        }
        ArrayNode warnings = body.putArray("warnings");
        listing.warnings().forEach(warnings::add);
        JsonBodies.respond(ctx, body);
    }

    private void image(Context ctx) throws FileRefusal, IOException {
        Path file = datasets.image(ctx.pathParam("name"), ctx.queryParam("file"));
        ctx.contentType(FileRoutes.contentTypeOf(file));
        ctx.result(Files.newInputStream(file));
    }

    private void caption(Context ctx) throws FileRefusal, IOException {
        ObjectNode body = JsonBodies.object(ctx);
        JsonNode caption = body.get("caption");
        if (caption != null && !caption.isTextual()) {
            throw new FileRefusal(400, "caption: expected a string, found " + caption.getNodeType().name().toLowerCase());
        }
        DatasetFiles.Image written = datasets.writeCaption(ctx.pathParam("name"), body.path("file").asText(null),
                caption == null ? null : caption.asText());
        JsonBodies.respond(ctx, json(written));
    }

    private static ObjectNode json(DatasetFiles.Image image) {
        ObjectNode o = Json.object();
        o.put("file", image.file());
        o.put("caption", image.caption());
        o.put("caption_file", image.captionFile());
        return o;
    }
}
