package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bakehouse.server.files.FileRefusal;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.user.UserFiles;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The user's files (spec §3.15): {@code /userdata/{file}} read, write, delete and move,
 * {@code /userdata?dir=} and {@code /v2/userdata?path=} listings. File paths arrive as one
 * URL-encoded segment ({@code workflows%2Fa.json}), decoded once; every path is confined to the
 * user folder by {@link UserFiles#resolve}.
 */
public final class UserdataRoutes {
    private final UserFiles files;

    public UserdataRoutes(UserFiles files) {
        this.files = files;
    }

    public void register(ApiRouter router) {
        router.get("/userdata", this::list);
        router.get("/v2/userdata", this::listV2);
        router.get("/userdata/{file}", this::read);
        router.post("/userdata/{file}", this::write);
        router.delete("/userdata/{file}", this::delete);
        router.post("/userdata/{file}/move/{dest}", this::move);
    }

    /**
     * The raw file as a download ({@code attachment}, no sniffing): user files are arbitrary
     * content that must never render as a page of this origin. {@code user.css} is the exception
     * the frontend loads as a stylesheet.
     */
    private void read(Context ctx) throws FileRefusal, IOException {
        Path file = existingFile(ctx.pathParam("file"));
        boolean userCss = file.equals(files.root().resolve("user.css"));
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Disposition", userCss ? "inline" : "attachment");
        ctx.contentType(userCss ? "text/css" : FileRoutes.contentTypeOf(file));
        ctx.result(Files.readAllBytes(file));
    }

    /** Writes the raw body; {@code overwrite} defaults to true, as in the reference. */
    private void write(Context ctx) throws FileRefusal, IOException {
        Path target = files.resolve(ctx.pathParam("file"));
        refuseExistingUnlessOverwrite(ctx, target);
        files.write(target, ctx.bodyAsBytes());
        answerPath(ctx, target);
    }

    private void delete(Context ctx) throws FileRefusal, IOException {
        Files.delete(existingFile(ctx.pathParam("file")));
        ctx.status(204);
    }

    private void move(Context ctx) throws FileRefusal, IOException {
        Path source = files.resolve(ctx.pathParam("file"));
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileRefusal(404, "no user file " + files.relative(source));
        }
        Path target = files.resolve(ctx.pathParam("dest"));
        refuseExistingUnlessOverwrite(ctx, target);
        files.move(source, target);
        answerPath(ctx, target);
    }

    /** Files below {@code dir}: relative paths, {@code [path, ...segments]} with split, or full info. */
    private void list(Context ctx) throws FileRefusal, IOException {
        String dir = ctx.queryParam("dir");
        if (dir == null || dir.isEmpty()) {
            throw new FileRefusal(400, "query parameter 'dir' is required");
        }
        Path directory = files.resolve(dir);
        if (!Files.isDirectory(directory)) {
            throw new FileRefusal(404, "no user folder " + files.relative(directory));
        }
        boolean fullInfo = flag(ctx, "full_info");
        boolean split = flag(ctx, "split");
        ArrayNode body = Json.array();
        for (Path file : files.files(directory, flag(ctx, "recurse"))) {
            UserFiles.FileInfo info = files.info(file, directory);
            if (fullInfo) {
                body.add(infoJson(info));
            } else if (split) {
                ArrayNode parts = body.addArray().add(info.path());
                for (String part : info.path().split("/")) {
                    parts.add(part);
                }
            } else {
                body.add(info.path());
            }
        }
        JsonBodies.respond(ctx, body);
    }

    /**
     * Folders and files at all depths below {@code path} (default: the user folder), paths
     * relative to the user folder. Any refused path is a 400 here, as in the reference.
     */
    private void listV2(Context ctx) throws FileRefusal, IOException {
        String path = ctx.queryParam("path");
        Path directory;
        try {
            directory = path == null || path.isEmpty() ? files.root() : files.resolve(path);
        } catch (FileRefusal refusal) {
            throw new FileRefusal(400, refusal.getMessage());
        }
        if (!Files.exists(directory)) {
            throw new FileRefusal(404, "no user folder " + files.relative(directory));
        }
        if (!Files.isDirectory(directory)) {
            throw new FileRefusal(400, files.relative(directory) + " is not a folder");
        }
        ArrayNode body = Json.array();
        for (UserFiles.Entry entry : files.entries(directory)) {
            ObjectNode item = body.addObject();
            item.put("name", entry.name());
            item.put("path", entry.path());
            item.put("type", entry.directory() ? "directory" : "file");
            if (!entry.directory()) {
                item.put("size", entry.size());
                item.put("modified", entry.modifiedMillis() / 1000.0);
            }
        }
        JsonBodies.respond(ctx, body);
    }

    private Path existingFile(String relative) throws FileRefusal {
        Path file = files.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new FileRefusal(404, "no user file " + files.relative(file));
        }
        return file;
    }

    private void refuseExistingUnlessOverwrite(Context ctx, Path target) throws FileRefusal {
        boolean overwrite = !"false".equals(ctx.queryParam("overwrite"));
        if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileRefusal(409, files.relative(target) + " exists and overwrite is false");
        }
    }

    /** The written path as a JSON string, or its full info with {@code full_info=true}. */
    private void answerPath(Context ctx, Path target) throws IOException {
        if (flag(ctx, "full_info")) {
            JsonBodies.respond(ctx, infoJson(files.info(target, files.root())));
        } else {
            JsonBodies.respond(ctx, TextNode.valueOf(files.relative(target)));
        }
    }

    private static ObjectNode infoJson(UserFiles.FileInfo info) {
        ObjectNode json = Json.object();
        json.put("path", info.path());
        json.put("size", info.size());
        json.put("modified", info.modifiedMillis());
        json.put("created", info.createdMillis());
        return json;
    }

    private static boolean flag(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value != null && value.toLowerCase(Locale.ROOT).equals("true");
    }
}
