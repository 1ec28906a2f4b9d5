package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.bakehouse.server.json.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The ComfyUI frontend extension scripts Bakehouse ships: {@code GET /extensions} lists them
 * (spec §3.13) and {@code /extensions/bakehouse/<file>} serves them from the frontend-bridge jar
 * ({@value #RESOURCE_DIR}), whatever {@code --web-root} serves at {@code /}, so the official
 * frontend loads Bakehouse's panels. Like the editor's files they are not secret: the auth token
 * does not guard them (a browser's {@code import()} cannot send it).
 */
public final class ExtensionScripts {
    /** Where frontend-bridge's build puts the extension bundle inside its jar. */
    static final String RESOURCE_DIR = "dev/bakehouse/extension";
    static final String URL_PREFIX = "/extensions/bakehouse/";
    /** The bundles, by file name; only those present on the class path are listed. */
    private static final List<String> SCRIPTS = List.of("bakehouse-panels.js");

    private final List<String> present;

    public ExtensionScripts() {
        this.present = SCRIPTS.stream()
                .filter(name -> ExtensionScripts.class.getClassLoader().getResource(RESOURCE_DIR + "/" + name) != null)
                .toList();
    }

    public void register(ApiRouter router, Javalin app) {
        router.get("/extensions", this::list);
        app.get(URL_PREFIX + "{file}", this::serve);
    }

    /** True for a GET of one of the shipped scripts (served without the auth token). */
    public boolean serves(Context ctx) {
        return ctx.method() == HandlerType.GET && ctx.path().startsWith(URL_PREFIX)
                && present.contains(ctx.path().substring(URL_PREFIX.length()));
    }

    private void list(Context ctx) {
        ArrayNode urls = Json.array();
        present.forEach(name -> urls.add(URL_PREFIX + name));
        JsonBodies.respond(ctx, urls);
    }

    private void serve(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        if (!present.contains(file)) {
            ctx.status(404);
            return;
        }
        try (InputStream in = ExtensionScripts.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + "/" + file)) {
            ctx.contentType("text/javascript; charset=utf-8");
            ctx.result(in.readAllBytes());
        }
    }
}
