package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.server.files.FileAreas;
import dev.bakehouse.server.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The frontend's {@code /internal/folder_paths} (model folder → its directories) and
 * {@code /internal/files/{type}} (file names of input, output or temp, newest first). Plain
 * paths only (spec §1.1).
 */
public final class InternalFileRoutes {
    private final DataDirs dirs;
    private final FileAreas areas;

    public InternalFileRoutes(DataDirs dirs, FileAreas areas) {
        this.dirs = dirs;
        this.areas = areas;
    }

    public void register(ApiRouter router) {
        router.internalGet("/internal/folder_paths", this::folderPaths);
        router.internalGet("/internal/files/{type}", this::files);
    }

    private void folderPaths(Context ctx) {
        ObjectNode body = Json.object();
        for (String folder : dirs.modelFolders()) {
            ArrayNode paths = body.putArray(folder);
            dirs.modelDirs(folder).forEach(dir -> paths.add(dir.toString()));
        }
        JsonBodies.respond(ctx, body);
    }

    /** Files directly in the area (no folders, no links), by modification time, newest first. */
    private void files(Context ctx) throws IOException {
        Optional<Path> area = areas.byType(ctx.pathParam("type"));
        if (area.isEmpty()) {
            throw HttpFailure.of(400, "Invalid directory type");
        }
        List<Path> newestFirst;
        try (Stream<Path> listed = Files.list(area.get())) {
            newestFirst = listed.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.comparing(InternalFileRoutes::modified).reversed()
                            .thenComparing(p -> p.getFileName().toString()))
                    .toList();
        }
        ArrayNode body = Json.array();
        newestFirst.forEach(p -> body.add(p.getFileName().toString()));
        JsonBodies.respond(ctx, body);
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // Deleted between listing and sorting: sort it last; it is gone anyway.
            return FileTime.fromMillis(0);
        }
    }
}
