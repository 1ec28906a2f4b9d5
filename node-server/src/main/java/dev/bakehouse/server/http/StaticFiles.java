package dev.bakehouse.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Which requests are for the web root's static files (served by Javalin at {@code /}). */
public final class StaticFiles {
    private final Path root;

    /** @param root the folder, or null when no web root is configured */
    public StaticFiles(Path root) {
        this.root = root == null ? null : root.toAbsolutePath().normalize();
    }

    /** True for a GET of an existing file inside the root ({@code /} meaning index.html). */
    public boolean serves(Context ctx) {
        if (root == null || ctx.method() != HandlerType.GET) {
            return false;
        }
        String path = ctx.path().equals("/") ? "index.html" : ctx.path().substring(1);
        try {
            Path file = root.resolve(path).normalize();
            return file.startsWith(root) && Files.isRegularFile(file)
                    && file.toRealPath().startsWith(root.toRealPath());
        } catch (InvalidPathException | java.io.IOException e) {
            return false;
        }
    }
}
