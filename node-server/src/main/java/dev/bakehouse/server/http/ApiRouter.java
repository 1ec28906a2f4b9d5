package dev.bakehouse.server.http;

import io.javalin.Javalin;
import io.javalin.http.Handler;

/**
 * Registers each API route twice: at its plain path and under {@code /api} (spec §1.1). The
 * frontend's {@code /internal/...} routes exist only at their plain path.
 */
public final class ApiRouter {
    private final Javalin app;

    public ApiRouter(Javalin app) {
        this.app = app;
    }

    public ApiRouter get(String path, Handler handler) {
        app.get(path, handler);
        app.get("/api" + path, handler);
        return this;
    }

    public ApiRouter post(String path, Handler handler) {
        app.post(path, handler);
        app.post("/api" + path, handler);
        return this;
    }

    public ApiRouter put(String path, Handler handler) {
        app.put(path, handler);
        app.put("/api" + path, handler);
        return this;
    }

    public ApiRouter delete(String path, Handler handler) {
        app.delete(path, handler);
        app.delete("/api" + path, handler);
        return this;
    }

    /** A {@code GET /internal/...} route: plain path only, never under {@code /api}. */
    public ApiRouter internalGet(String path, Handler handler) {
        app.get(internal(path), handler);
        return this;
    }

    /** A {@code PATCH /internal/...} route: plain path only, never under {@code /api}. */
    public ApiRouter internalPatch(String path, Handler handler) {
        app.patch(internal(path), handler);
        return this;
    }

    private static String internal(String path) {
        if (!path.startsWith("/internal/")) {
            throw new IllegalArgumentException("internal routes live under /internal/, got " + path);
        }
        return path;
    }
}
