package dev.bakehouse.server.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code progress_state} snapshot of one prompt (spec §5.5.6): every node that has started,
 * with its value, max and state. Nodes still pending are absent. Start values are the
 * reference's floats {@code 0.0/1.0}; progress values are integers.
 */
public final class ProgressState {
    private record NodeState(Number value, Number max, String state) {}

    private final String promptId;
    private final Map<String, NodeState> nodes = new LinkedHashMap<>();

    public ProgressState(String promptId) {
        this.promptId = promptId;
    }

    public void started(String node) {
        nodes.put(node, new NodeState(0.0, 1.0, "running"));
    }

    public void progress(String node, long value, long max) {
        nodes.put(node, new NodeState(value, max, "running"));
    }

    public void finished(String node) {
        NodeState current = nodes.get(node);
        Number max = current == null ? 1.0 : current.max();
        nodes.put(node, new NodeState(max, max, "finished"));
    }

    /** The {@code data} of a {@code progress_state} message. */
    public ObjectNode snapshot() {
        ObjectNode data = Json.object();
        data.put("prompt_id", promptId);
        ObjectNode all = data.putObject("nodes");
        nodes.forEach(
                (id, state) -> {
                    ObjectNode entry = all.putObject(id);
                    putNumber(entry, "value", state.value());
                    putNumber(entry, "max", state.max());
                    entry.put("state", state.state());
                    entry.put("node_id", id);
                    entry.put("prompt_id", promptId);
                    entry.put("display_node_id", id);
                    entry.putNull("parent_node_id");
                    entry.put("real_node_id", id);
                });
        return data;
    }

    private static void putNumber(ObjectNode node, String key, Number value) {
        if (value instanceof Double d) {
            node.put(key, d);
        } else {
            node.put(key, value.longValue());
        }
    }
}
