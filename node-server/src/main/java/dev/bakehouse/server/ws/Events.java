package dev.bakehouse.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import java.util.Collection;

/**
 * Builders for the WebSocket message bodies of spec §5.5, with the reference's field order.
 * Each returns the {@code data} object; {@link #envelope} wraps it as {@code {type, data}}.
 */
public final class Events {
    public static final String STATUS = "status";
    public static final String EXECUTION_START = "execution_start";
    public static final String EXECUTION_CACHED = "execution_cached";
    public static final String EXECUTING = "executing";
    public static final String PROGRESS = "progress";
    public static final String PROGRESS_STATE = "progress_state";
    public static final String EXECUTED = "executed";
    public static final String EXECUTION_SUCCESS = "execution_success";
    public static final String EXECUTION_ERROR = "execution_error";
    public static final String EXECUTION_INTERRUPTED = "execution_interrupted";
    public static final String FEATURE_FLAGS = "feature_flags";
    /** Console lines for a client subscribed through {@code PATCH /internal/logs/subscribe}. */
    public static final String LOGS = "logs";

    private Events() {}

    public static ObjectNode envelope(String type, JsonNode data) {
        ObjectNode message = Json.object();
        message.put("type", type);
        message.set("data", data);
        return message;
    }

    /** {@code status}; {@code sid} only in the on-connect message (pass null otherwise). */
    public static ObjectNode status(int queueRemaining, String sid) {
        ObjectNode data = Json.object();
        data.putObject("status").putObject("exec_info").put("queue_remaining", queueRemaining);
        if (sid != null) {
            data.put("sid", sid);
        }
        return data;
    }

    public static ObjectNode executionStart(String promptId, long timestamp) {
        ObjectNode data = Json.object();
        data.put("prompt_id", promptId);
        data.put("timestamp", timestamp);
        return data;
    }

    public static ObjectNode executionCached(Collection<String> nodes, String promptId, long timestamp) {
        ObjectNode data = Json.object();
        ArrayNode list = data.putArray("nodes");
        nodes.forEach(list::add);
        data.put("prompt_id", promptId);
        data.put("timestamp", timestamp);
        return data;
    }

    /** {@code executing} for a node about to run. */
    public static ObjectNode executing(String node, String displayNode, String promptId) {
        ObjectNode data = Json.object();
        data.put("node", node);
        data.put("display_node", displayNode);
        data.put("prompt_id", promptId);
        return data;
    }

    /** The terminal {@code executing} with {@code node: null} (spec §5.5.4). */
    public static ObjectNode executingDone(String promptId) {
        ObjectNode data = Json.object();
        data.putNull("node");
        data.put("prompt_id", promptId);
        return data;
    }

    /** The reconnect hint: the running node, without prompt id (spec §5.1). */
    public static ObjectNode executingOnReconnect(String displayNode) {
        ObjectNode data = Json.object();
        data.put("node", displayNode);
        return data;
    }

    public static ObjectNode progress(long value, long max, String promptId, String node) {
        ObjectNode data = Json.object();
        data.put("value", value);
        data.put("max", max);
        data.put("prompt_id", promptId);
        data.put("node", node);
        return data;
    }

    public static ObjectNode executed(String node, String displayNode, JsonNode output, String promptId) {
        ObjectNode data = Json.object();
        data.put("node", node);
        data.put("display_node", displayNode);
        data.set("output", output == null ? NullNode.getInstance() : output);
        data.put("prompt_id", promptId);
        return data;
    }

    public static ObjectNode executionSuccess(String promptId, long timestamp) {
        return executionStart(promptId, timestamp);
    }
}
