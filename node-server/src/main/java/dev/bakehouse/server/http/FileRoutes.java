package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.files.FileRefusal;
import dev.bakehouse.server.files.MaskComposer;
import dev.bakehouse.server.files.UploadStore;
import dev.bakehouse.server.files.ViewResolver;
import dev.bakehouse.server.json.Json;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /view}, {@code POST /upload/image} and {@code POST /upload/mask} (spec §3.8, §3.9). */
public final class FileRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(FileRoutes.class);

    /** Types a browser would render or run; served as plain bytes instead (spec §3.8). */
    private static final Set<String> FORCED_DOWNLOAD =
            Set.of(
                    "text/html",
                    "text/html-sandboxed",
                    "application/xhtml+xml",
                    "text/javascript",
                    "application/javascript",
                    "text/css");

    private final ViewResolver views;
    private final UploadStore uploads;
    private final MaskComposer masks;
    private final long maxUploadBytes;

    public FileRoutes(ViewResolver views, UploadStore uploads, long maxUploadBytes) {
        this.views = views;
        this.uploads = uploads;
        this.masks = new MaskComposer(views);
        this.maxUploadBytes = maxUploadBytes;
    }

    public void register(ApiRouter router) {
        router.get("/view", this::view);
        router.post("/upload/image", this::uploadImage);
        router.post("/upload/mask", this::uploadMask);
    }

    private void view(Context ctx) throws IOException {
        Path file;
        try {
            file = views.resolve(ctx.queryParam("filename"), ctx.queryParam("type"), ctx.queryParam("subfolder"));
        } catch (FileRefusal refusal) {
            LOG.debug("/view refused ({}): {}", refusal.status(), refusal.getMessage());
            ctx.status(refusal.status());
            return;
        }
        String baseName = file.getFileName().toString();
        ImageVariant.Encoded variant = ImageVariant.encode(file, ctx.queryParam("preview"), ctx.queryParam("channel"));
        ctx.header("Content-Disposition", "filename=\"" + baseName.replace("\"", "") + "\"");
        if (variant != null) {
            ctx.contentType(variant.contentType());
            ctx.result(variant.bytes());
            return;
        }
        ctx.contentType(contentTypeOf(file));
        ctx.result(Files.newInputStream(file));
    }

    static String contentTypeOf(Path file) throws IOException {
        String guessed = Files.probeContentType(file);
        if (guessed == null) {
            guessed = guessByExtension(file.getFileName().toString());
        }
        String bare = guessed.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        return FORCED_DOWNLOAD.contains(bare) || bare.endsWith("javascript") ? "application/octet-stream" : guessed;
    }

    private static String guessByExtension(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".png")) return "image/png";
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) return "image/jpeg";
        if (lower.endsWith(".webp")) return "image/webp";
        if (lower.endsWith(".gif")) return "image/gif";
        if (lower.endsWith(".json")) return "application/json";
        if (lower.endsWith(".txt")) return "text/plain";
        if (lower.endsWith(".js") || lower.endsWith(".mjs")) return "text/javascript";
        if (lower.endsWith(".html") || lower.endsWith(".htm")) return "text/html";
        return "application/octet-stream";
    }

    private void uploadImage(Context ctx) throws FileRefusal, IOException {
        UploadedFile image = imagePart(ctx);
        try (InputStream content = image.content()) {
            store(ctx, content, image.filename());
        }
    }

    /** The original named by {@code original_ref} with the uploaded mask's alpha (spec §3.9). */
    private void uploadMask(Context ctx) throws FileRefusal, IOException {
        UploadedFile mask = imagePart(ctx);
        byte[] composed;
        try (InputStream content = mask.content()) {
            composed = masks.compose(ctx.formParam("original_ref"), content);
        }
        store(ctx, new ByteArrayInputStream(composed), mask.filename());
    }

    /** The {@code image} part of an upload, within the size limit. */
    private UploadedFile imagePart(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxUploadBytes) {
            throw HttpFailure.of(413, "upload of " + declared + " bytes exceeds the limit of " + maxUploadBytes);
        }
        UploadedFile image = ctx.uploadedFile("image");
        if (image == null) {
            throw HttpFailure.of(400, "multipart field 'image' is missing");
        }
        if (image.size() > maxUploadBytes) {
            throw HttpFailure.of(413, "upload of " + image.size() + " bytes exceeds the limit of " + maxUploadBytes);
        }
        return image;
    }

    /**
     * Stores content under the upload's name, type and subfolder and answers the stored name. A
     * refusal reaches the client as {@code {"error": reason}} with its status.
     */
    private void store(Context ctx, InputStream content, String filename) throws FileRefusal, IOException {
        String overwrite = ctx.formParam("overwrite");
        boolean replace = "true".equals(overwrite) || "1".equals(overwrite);
        UploadStore.Stored stored =
                uploads.store(content, filename, ctx.formParam("type"), ctx.formParam("subfolder"), replace);
        ObjectNode body = Json.object();
        body.put("name", stored.name());
        body.put("subfolder", stored.subfolder());
        body.put("type", stored.type());
        JsonBodies.respond(ctx, body);
    }
}
