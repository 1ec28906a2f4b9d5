package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.ObjectInfo;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.tensor.SafetensorsFile;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Node definitions and model listings: {@code /object_info}, {@code /models}, {@code /embeddings},
 * {@code /view_metadata}.
 */
public final class NodeRoutes {
    private final ObjectInfo objectInfo;
    private final DataDirs dirs;

    public NodeRoutes(ObjectInfo objectInfo, DataDirs dirs) {
        this.objectInfo = objectInfo;
        this.dirs = dirs;
    }

    public void register(ApiRouter router) {
        router.get("/object_info", ctx -> JsonBodies.respond(ctx, objectInfo.all()));
        router.get("/object_info/{node_class}", this::oneNode);
        router.get("/models", ctx -> JsonBodies.respond(ctx, strings(dirs.modelFolders())));
        router.get("/models/{folder}", this::models);
        router.get("/embeddings", this::embeddings);
        router.get("/view_metadata/{folder}", this::viewMetadata);
    }

    /**
     * The {@code __metadata__} of a model's safetensors header (spec §3.13); 404 with no body
     * when the folder or file is unknown, unsafe, not safetensors, unreadable or has no metadata.
     */
    private void viewMetadata(Context ctx) {
        String folder = ctx.pathParam("folder");
        String filename = ctx.queryParam("filename");
        if (!dirs.modelFolders().contains(folder) || filename == null || !filename.endsWith(".safetensors")) {
            ctx.status(404);
            return;
        }
        Map<String, String> metadata;
        try (SafetensorsFile file = SafetensorsFile.open(dirs.resolveModel(folder, filename))) {
            metadata = file.metadata();
        } catch (IllegalArgumentException | IOException e) {
            ctx.status(404);
            return;
        }
        if (metadata.isEmpty()) {
            ctx.status(404);
            return;
        }
        ObjectNode body = Json.object();
        metadata.forEach(body::put);
        JsonBodies.respond(ctx, body);
    }

    /**
     * Class names may contain spaces, brackets and '+': the segment is taken from the raw request
     * path and percent-decoded exactly once ('+' stays a plus, as in a path).
     */
    private void oneNode(Context ctx) {
        String raw = ctx.path().substring(ctx.path().indexOf("/object_info/") + "/object_info/".length());
        String classType = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        JsonBodies.respond(ctx, objectInfo.one(classType));
    }

    private void models(Context ctx) {
        String folder = ctx.pathParam("folder");
        if (!dirs.modelFolders().contains(folder)) {
            ctx.status(404);
            return;
        }
        JsonBodies.respond(ctx, strings(dirs.listModels(folder)));
    }

    /** Embedding names without their extension (spec §3.13). */
    private void embeddings(Context ctx) {
        ArrayNode names = Json.array();
        for (String file : dirs.listModels(DataDirs.EMBEDDINGS)) {
            int dot = file.lastIndexOf('.');
            names.add(dot > 0 ? file.substring(0, dot) : file);
        }
        JsonBodies.respond(ctx, names);
    }

    private static ArrayNode strings(Iterable<String> values) {
        ArrayNode array = Json.array();
        values.forEach(array::add);
        return array;
    }
}
