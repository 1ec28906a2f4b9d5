package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bakehouse.server.logs.LogMessages;
import dev.bakehouse.server.logs.LogRing;
import dev.bakehouse.server.logs.LogSubscriptions;
import io.javalin.http.Context;

/**
 * The frontend's log view (spec §3.15): {@code /internal/logs} (the kept console lines as one
 * JSON string), {@code /internal/logs/raw} (each line with its time, plus the terminal size the
 * frontend lays them out in) and {@code PATCH /internal/logs/subscribe} (live lines over the
 * client's WebSocket). Plain paths only (spec §1.1).
 */
public final class LogRoutes {
    private final LogRing log;
    private final LogSubscriptions subscriptions;

    public LogRoutes(LogRing log, LogSubscriptions subscriptions) {
        this.log = log;
        this.subscriptions = subscriptions;
    }

    public void register(ApiRouter router) {
        router.internalGet("/internal/logs", ctx -> JsonBodies.respond(ctx, TextNode.valueOf(log.text())));
        router.internalGet("/internal/logs/raw", ctx -> JsonBodies.respond(ctx, LogMessages.of(log.entries())));
        router.internalPatch("/internal/logs/subscribe", this::subscribe);
    }

    /** Body {@code {"clientId": "...", "enabled": bool}}; "enabled" defaults to true. */
    private void subscribe(Context ctx) {
        ObjectNode body = JsonBodies.object(ctx);
        String clientId = body.path("clientId").asText("");
        if (clientId.isEmpty()) {
            throw HttpFailure.of(400, "\"clientId\" is required: the WebSocket client id to send log lines to");
        }
        subscriptions.subscribe(clientId, body.path("enabled").asBoolean(true));
        JsonBodies.empty(ctx);
    }
}
