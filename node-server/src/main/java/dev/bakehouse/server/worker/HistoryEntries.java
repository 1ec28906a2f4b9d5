package dev.bakehouse.server.worker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.queue.QueueItem;
import java.util.Map;

/** Builds history entries (spec §4.4): {@code prompt}, {@code outputs}, {@code status}, {@code meta}. */
public final class HistoryEntries {
    private HistoryEntries() {}

    /**
     * @param messages the {@code [event, data]} pairs of the run's execution-level events
     */
    public static ObjectNode entry(
            QueueItem item, Map<String, ObjectNode> uiOutputs, boolean success, ArrayNode messages) {
        ObjectNode entry = Json.object();
        entry.set("prompt", item.toPublicJson());
        ObjectNode outputs = entry.putObject("outputs");
        uiOutputs.forEach(outputs::set);
        ObjectNode status = entry.putObject("status");
        status.put("status_str", success ? "success" : "error");
        status.put("completed", success);
        status.set("messages", messages);
        ObjectNode meta = entry.putObject("meta");
        uiOutputs.keySet().forEach(
                node -> {
                    ObjectNode nodeMeta = meta.putObject(node);
                    nodeMeta.put("node_id", node);
                    nodeMeta.put("display_node", node);
                    nodeMeta.putNull("parent_node");
                    nodeMeta.put("real_node_id", node);
                });
        return entry;
    }

    /** One {@code [event, data]} pair of {@code status.messages}. */
    public static ArrayNode message(String event, ObjectNode data) {
        ArrayNode pair = Json.array();
        pair.add(event);
        pair.add(data);
        return pair;
    }
}
