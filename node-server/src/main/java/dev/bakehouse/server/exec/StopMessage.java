package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The fields {@code execution_error} and {@code execution_interrupted} share (spec §5.5.9,
 * §5.5.10): where the run stopped and what ran before. The reference builds both messages from
 * this one prefix, so one piece writes it here and the two differ only in what they add after.
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
