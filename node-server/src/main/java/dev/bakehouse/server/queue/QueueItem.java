package dev.bakehouse.server.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * One accepted prompt: the 5-element queue item of spec §4.3 ({@code [number, prompt_id,
 * prompt, extra_data, outputs]}). The prompt is the validated, coerced one.
 */
public record QueueItem(
        QueueNumber number, String promptId, ObjectNode prompt, ObjectNode extraData, List<String> outputs) {

    /** Queue order of spec §3.3: (number, prompt_id) ascending. */
    public static final Comparator<QueueItem> ORDER =
            Comparator.comparing(QueueItem::number).thenComparing(QueueItem::promptId);

    /** Keys of {@code extra_data} that are secrets: never returned, never stored in history. */
    public static final Set<String> SECRET_KEYS = Set.of("auth_token_comfy_org", "api_key_comfy_org");

    public QueueItem {
        outputs = List.copyOf(outputs);
    }

    /** The prompt's WebSocket client, or null when it was submitted without one. */
    public String clientId() {
        JsonNode id = extraData.get("client_id");
        return id == null || id.isNull() ? null : id.asText();
    }

    /** The item as clients see it (secrets stripped, spec §3.4 recommendation). */
    public ArrayNode toPublicJson() {
        return toJson(true);
    }

    /** The item as persisted, secrets included (the worker still needs them after a restart). */
    public ArrayNode toStoredJson() {
        return toJson(false);
    }

    private ArrayNode toJson(boolean stripSecrets) {
        ObjectNode extra = extraData.deepCopy();
        if (stripSecrets) {
            extra.remove(SECRET_KEYS);
        }
        ArrayNode item = Json.array();
        item.add(number.toJson());
        item.add(promptId);
        item.add(prompt);
        item.add(extra);
        ArrayNode outs = item.addArray();
        outputs.forEach(outs::add);
        return item;
    }

    /** Reads an item written by {@link #toStoredJson()}. */
    public static QueueItem fromStoredJson(JsonNode json) {
        JsonNode number = json.get(0);
        QueueNumber queueNumber =
                number.isIntegralNumber()
                        ? QueueNumber.counter(number.longValue())
                        : QueueNumber.explicit(number.doubleValue());
        List<String> outputs = new ArrayList<>();
        json.get(4).forEach(o -> outputs.add(o.asText()));
        return new QueueItem(
                queueNumber,
                json.get(1).asText(),
                (ObjectNode) json.get(2),
                (ObjectNode) json.get(3),
                outputs);
    }
}
