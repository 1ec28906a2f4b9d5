package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.exec.PromptValidator;
import dev.bakehouse.server.exec.Validation;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.queue.PromptQueue;
import dev.bakehouse.server.queue.QueueItem;
import dev.bakehouse.server.queue.QueueNumber;
import dev.bakehouse.server.queue.DelayedTasks;
import dev.bakehouse.server.store.QueueStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /prompt} and {@code POST /prompt} (spec §3.2, §3.3).
 *
 * <p>An accepted prompt is queued <em>held</em>; the response is written and flushed by this
 * handler, and only then is the release scheduled, a grace period later. So no event of the
 * prompt can reach a client before the response (§5.8 rule 1), and clients whose HTTP stack
 * hands the response over a few milliseconds late still see every event.
 */
public final class PromptRoutes {
    private final PromptValidator validator;
    private final PromptQueue queue;
    private final QueueStore numbers;
    private final DelayedTasks scheduler;
    private final Duration grace;

    public PromptRoutes(
            PromptValidator validator, PromptQueue queue, QueueStore numbers, DelayedTasks scheduler, Duration grace) {
        this.validator = validator;
        this.queue = queue;
        this.numbers = numbers;
        this.scheduler = scheduler;
        this.grace = grace;
    }

    public void register(ApiRouter router) {
        router.get("/prompt", this::remaining);
        router.post("/prompt", this::submit);
    }

    private void remaining(Context ctx) {
        ObjectNode body = Json.object();
        body.putObject("exec_info").put("queue_remaining", queue.remaining());
        JsonBodies.respond(ctx, body);
    }

    private void submit(Context ctx) throws IOException {
        ObjectNode body = JsonBodies.object(ctx);
        QueueNumber number = queueNumber(body);
        Validation validation = validator.validate(body.get("prompt"), partialTargets(body));
        if (validation instanceof Validation.Rejected rejected) {
            ctx.status(400);
            JsonBodies.respond(ctx, rejected.body());
            return;
        }
        Validation.Accepted accepted = (Validation.Accepted) validation;
        JsonNode requestedId = body.get("prompt_id");
        String promptId = requestedId == null ? UUID.randomUUID().toString() : Json.pythonStr(requestedId);
        ObjectNode extraData = body.get("extra_data") instanceof ObjectNode extra ? extra.deepCopy() : Json.object();
        JsonNode clientId = body.get("client_id");
        if (clientId != null && !clientId.isNull()) {
            extraData.put("client_id", clientId.asText());
        }
        queue.add(new QueueItem(number, promptId, accepted.prompt(), extraData, accepted.outputs()));

        ObjectNode response = Json.object();
        response.put("prompt_id", promptId);
        response.set("number", number.toJson());
        response.set("node_errors", accepted.nodeErrors());
        try {
            writeAndFlush(ctx, Json.write(response));
        } finally {
            scheduler.schedule(grace, () -> queue.release(promptId));
        }
    }

    /**
     * The counter advances on every request without {@code number}, accepted or not (§3.3); an
     * explicit number is used as a float; {@code front} negates the counter value.
     */
    private QueueNumber queueNumber(ObjectNode body) {
        JsonNode explicit = body.get("number");
        if (explicit != null && explicit.isNumber()) {
            return QueueNumber.explicit(explicit.doubleValue());
        }
        long counter = numbers.takeNumber();
        return QueueNumber.counter(body.path("front").asBoolean(false) ? -counter : counter);
    }

    private static List<String> partialTargets(ObjectNode body) {
        JsonNode targets = body.get("partial_execution_targets");
        return targets == null || !targets.isArray() ? null : JsonBodies.strings(body, "partial_execution_targets");
    }

    private static void writeAndFlush(Context ctx, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ctx.status(200);
        ctx.contentType("application/json; charset=utf-8");
        ctx.res().setContentLength(bytes.length);
        OutputStream out = ctx.res().getOutputStream();
        out.write(bytes);
        out.flush();
        ctx.res().flushBuffer();
    }
}
