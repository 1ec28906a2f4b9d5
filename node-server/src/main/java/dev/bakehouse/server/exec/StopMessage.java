package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The fields {@code execution_error} and {@code execution_interrupted} share (spec §5.5.9,
 * §5.5.10): where the run stopped and what ran before. Both messages start with the same four
 * keys in the same order, so one piece writes them and each message adds only its own fields.
 */
final class StopMessage {
    private StopMessage() {}

    /** {@code prompt_id, node_id, node_type, executed}, in the reference's key order. */
    static ObjectNode start(String promptId, String nodeId, String nodeType, List<String> executed) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("prompt_id", promptId);
        data.put("node_id", nodeId);
        data.put("node_type", nodeType);
        ArrayNode executedJson = data.putArray("executed");
        executed.forEach(executedJson::add);
        return data;
    }
}
