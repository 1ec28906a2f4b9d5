package dev.bakehouse.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.train.LiveTrainings;
import dev.bakehouse.node.train.TrainLora;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.queue.PromptQueue;
import dev.bakehouse.server.queue.QueueItem;
import dev.bakehouse.train.run.TrainingControl;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /bakehouse/train/{prompt_id}/sample|save|stop}: live controls of a queued or running
 * prompt with a TrainLoRA node, beside ComfyUI's routes (whose {@code /interrupt} keeps its
 * meaning). A request is accepted with 202 and carried out after the run's next optimizer step
 * (its first, when the prompt has not started training yet); the run acknowledges it with a
 * {@code bakehouse.train} WebSocket message whose {@code event} names the control. 404 for a
 * prompt id that is neither queued nor running (unknown or finished), 409 for a prompt without a
 * TrainLoRA node, 404 for another control name.
 */
public final class TrainControlRoutes {
    private final PromptQueue queue;
    private final LiveTrainings live;

    public TrainControlRoutes(PromptQueue queue, LiveTrainings live) {
        this.queue = queue;
        this.live = live;
    }

    public void register(ApiRouter router) {
        router.post("/bakehouse/train/{prompt_id}/{control}", this::control);
    }

    private void control(Context ctx) {
        String id = ctx.pathParam("prompt_id");
        TrainingControl.Request request = request(ctx.pathParam("control"));
        List<QueueItem> queued = new ArrayList<>();
        queue.running().ifPresent(queued::add);
        boolean running = !queued.isEmpty() && queued.get(0).promptId().equals(id);
        queued.addAll(queue.pending());
        Optional<QueueItem> item = queued.stream().filter(q -> q.promptId().equals(id)).findFirst();
        if (item.isEmpty()) {
            throw HttpFailure.of(404, "no queued or running prompt '" + id + "': the id is unknown or the prompt "
                    + "has finished");
        }
        if (!hasTrainLora(item.get().prompt())) {
            throw HttpFailure.of(409, "prompt '" + id + "' has no " + TrainLora.NAME + " node: sample, save and stop "
                    + "control training prompts (use /interrupt to stop any prompt)");
        }
        live.retainOnly(queued.stream().map(QueueItem::promptId).toList());
        live.request(id, request);
        ObjectNode body = Json.object();
        body.put("prompt_id", id);
        body.put("control", request.name().toLowerCase(Locale.ROOT));
        body.put("status", running ? "accepted" : "accepted, waiting for the prompt to start");
        ctx.status(202);
        JsonBodies.respond(ctx, body);
    }

    private static TrainingControl.Request request(String name) {
        return switch (name) {
            case "sample" -> TrainingControl.Request.SAMPLE;
            case "save" -> TrainingControl.Request.SAVE;
            case "stop" -> TrainingControl.Request.STOP;
            default -> throw HttpFailure.of(404, "no training control '" + name + "': expected sample, save or stop");
        };
    }

    private static boolean hasTrainLora(ObjectNode prompt) {
        for (JsonNode node : prompt) {
            if (TrainLora.NAME.equals(node.path("class_type").asText())) {
                return true;
            }
        }
        return false;
    }
}
