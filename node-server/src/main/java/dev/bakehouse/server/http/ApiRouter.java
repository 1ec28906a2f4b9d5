package dev.bakehouse.server.http;

import io.javalin.Javalin;
import io.javalin.http.Handler;

/** Registers each route twice: at its plain path and under {@code /api} (spec §1.1). */
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
}
