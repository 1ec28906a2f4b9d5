package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.queue.PromptQueue;
import dev.bakehouse.server.queue.QueueItem;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Consumer;

/** {@code GET/POST /queue} and {@code POST /interrupt} (spec §3.4–§3.6). */
public final class QueueRoutes {
    private final PromptQueue queue;
    private final Consumer<String> interrupter;

    /**
     * @param interrupter interrupts the running prompt when called with its id or with null (any);
     *     it ignores ids of prompts that are not running
     */
    public QueueRoutes(PromptQueue queue, Consumer<String> interrupter) {
        this.queue = queue;
        this.interrupter = interrupter;
    }

    public void register(ApiRouter router) {
        router.get("/queue", this::get);
        router.post("/queue", this::post);
        router.post("/interrupt", this::interrupt);
    }

    private void get(Context ctx) {
        ObjectNode body = Json.object();
        ArrayNode running = body.putArray("queue_running");
        queue.running().ifPresent(item -> running.add(item.toPublicJson()));
        ArrayNode pending = body.putArray("queue_pending");
        queue.pending().forEach(item -> pending.add(item.toPublicJson()));
        JsonBodies.respond(ctx, body);
    }

    private void post(Context ctx) {
        ObjectNode body = JsonBodies.object(ctx);
        if (body.path("clear").asBoolean(false)) {
            queue.clearPending();
        }
        List<String> delete = JsonBodies.strings(body, "delete");
        if (!delete.isEmpty()) {
            queue.deletePending(delete);
        }
        JsonBodies.empty(ctx);
    }

    private void interrupt(Context ctx) {
        ObjectNode body = JsonBodies.object(ctx);
        JsonNode promptId = body.get("prompt_id");
        if (promptId == null || promptId.isNull()) {
            interrupter.accept(null);
        } else {
            String id = Json.pythonStr(promptId);
            queue.running().map(QueueItem::promptId).filter(id::equals).ifPresent(interrupter);
        }
        JsonBodies.empty(ctx);
    }
}
