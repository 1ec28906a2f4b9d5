package dev.bakehouse.server.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The static files served at {@code /}: a {@code --web-root} folder when given, else the editor
 * bundled in the frontend-bridge jar ({@value #BUNDLED_EDITOR} on the class path), else none.
 */
public final class StaticFiles {
    /** Where frontend-bridge's build puts the editor inside its jar. */
    public static final String BUNDLED_EDITOR = "dev/bakehouse/editor";

    private final Path root;
    private final boolean bundled;

    /** @param root the folder, or null for the bundled editor (when the class path has it) */
    public StaticFiles(Path root) {
        this.root = root == null ? null : root.toAbsolutePath().normalize();
        this.bundled = root == null && resource("index.html");
    }

    /** True when something is served at {@code /}. */
    public boolean any() {
        return root != null || bundled;
    }

    /** Registers the files with Javalin at {@code /}. */
    public void register(JavalinConfig javalin) {
        if (root != null) {
            javalin.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = root.toString();
                files.location = Location.EXTERNAL;
            });
        } else if (bundled) {
            javalin.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/" + BUNDLED_EDITOR;
                files.location = Location.CLASSPATH;
            });
        }
    }

    /** True for a GET of an existing file ({@code /} meaning index.html). */
    public boolean serves(Context ctx) {
        if (!any() || ctx.method() != HandlerType.GET) {
            return false;
        }
        String path = ctx.path().equals("/") ? "index.html" : ctx.path().substring(1);
        if (root == null) {
            return !path.contains("..") && resource(path);
        }
        try {
            Path file = root.resolve(path).normalize();
            return file.startsWith(root) && Files.isRegularFile(file)
                    && file.toRealPath().startsWith(root.toRealPath());
        } catch (InvalidPathException | java.io.IOException e) {
            return false;
        }
    }

    private static boolean resource(String path) {
        return !path.endsWith("/") && StaticFiles.class.getClassLoader().getResource(BUNDLED_EDITOR + "/" + path) != null;
    }
}
