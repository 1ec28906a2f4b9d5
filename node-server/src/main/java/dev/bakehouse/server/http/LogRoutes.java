package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.logs.LogRing;
import io.javalin.http.Context;

/**
 * The frontend's log view (spec §3.15): {@code /internal/logs} (the kept console lines as one
 * JSON string) and {@code /internal/logs/raw} (each line with its time, plus the terminal size
 * the frontend lays them out in). Plain paths only (spec §1.1).
 */
public final class LogRoutes {
    /** We have no terminal; the frontend needs a size, and 80x24 is the classic one. */
    private static final int COLUMNS = 80;
    private static final int ROWS = 24;

    private final LogRing log;

    public LogRoutes(LogRing log) {
        this.log = log;
    }

    public void register(ApiRouter router) {
        router.internalGet("/internal/logs", ctx -> JsonBodies.respond(ctx, TextNode.valueOf(log.text())));
        router.internalGet("/internal/logs/raw", this::raw);
    }

    private void raw(Context ctx) {
        ObjectNode body = Json.object();
        ArrayNode entries = body.putArray("entries");
        for (LogRing.Entry entry : log.entries()) {
            entries.addObject().put("t", entry.time()).put("m", entry.message());
        }
        body.putObject("size").put("cols", COLUMNS).put("rows", ROWS);
        JsonBodies.respond(ctx, body);
    }
}
