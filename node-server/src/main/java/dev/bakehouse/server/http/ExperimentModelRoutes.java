package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.server.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/**
 * The frontend's model library (spec §3.15): {@code /experiment/models} lists the model folders
 * and where they are, {@code /experiment/models/{folder}} the models of {@code GET /models/{folder}}
 * with the index of the directory that holds each ({@code pathIndex}, into that folder's list) and
 * their size and times (epoch seconds, as the reference).
 */
public final class ExperimentModelRoutes {
    private final DataDirs dirs;

    public ExperimentModelRoutes(DataDirs dirs) {
        this.dirs = dirs;
    }

    public void register(ApiRouter router) {
        router.get("/experiment/models", this::folders);
        router.get("/experiment/models/{folder}", this::files);
    }

    private void folders(Context ctx) {
        ArrayNode body = Json.array();
        for (String folder : dirs.modelFolders()) {
            ObjectNode entry = body.addObject();
            entry.put("name", folder);
            ArrayNode paths = entry.putArray("folders");
            dirs.modelDirs(folder).forEach(dir -> paths.add(dir.toString()));
        }
        JsonBodies.respond(ctx, body);
    }

    /** The names of {@code GET /models/{folder}}, each with the first folder that holds it. */
    private void files(Context ctx) throws IOException {
        String folder = ctx.pathParam("folder");
        if (!dirs.modelFolders().contains(folder)) {
            ctx.status(404);
            return;
        }
        List<Path> folders = dirs.modelDirs(folder);
        ArrayNode body = Json.array();
        for (String name : dirs.listModels(folder)) {
            for (int index = 0; index < folders.size(); index++) {
                Path model = folders.get(index).resolve(name);
                if (Files.exists(model)) {
                    BasicFileAttributes attributes = Files.readAttributes(model, BasicFileAttributes.class);
                    ObjectNode entry = body.addObject();
                    entry.put("name", name);
                    entry.put("pathIndex", index);
                    entry.put("modified", attributes.lastModifiedTime().toMillis() / 1000.0);
                    entry.put("created", attributes.creationTime().toMillis() / 1000.0);
                    entry.put("size", attributes.isDirectory() ? folderSize(model) : attributes.size());
                    break;
                }
            }
        }
        JsonBodies.respond(ctx, body);
    }

    /** A model made of a folder of files (a diffusers pipeline) weighs what its files weigh. */
    private static long folderSize(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }
}
