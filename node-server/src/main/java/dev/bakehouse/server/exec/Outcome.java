package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a run ended, with the UI outputs for the history entry's {@code outputs} (spec §4.4):
 * node id → UI output for every node of the prompt with a cached UI output at the end of the run,
 * including cached output nodes and nodes that ran before a failure, in prompt key order.
 */
public sealed interface Outcome {

    /** Node id → UI output object (§4.5). */
    Map<String, ObjectNode> uiOutputs();

    /** Every scheduled node completed ({@code execution_success}). */
    record Success(Map<String, ObjectNode> uiOutputs) implements Outcome {
        public Success {
            uiOutputs = Collections.unmodifiableMap(new LinkedHashMap<>(uiOutputs));
        }
    }

    /** A node failed ({@code execution_error}); later nodes did not run. */
    record Failed(ExecutionError error, Map<String, ObjectNode> uiOutputs) implements Outcome {
        public Failed {
            uiOutputs = Collections.unmodifiableMap(new LinkedHashMap<>(uiOutputs));
        }
    }

    /** An interrupt was noticed at {@code nodeId} ({@code execution_interrupted}). */
    record Interrupted(String nodeId, String nodeType, List<String> executed,
                       Map<String, ObjectNode> uiOutputs) implements Outcome {
        public Interrupted {
            executed = List.copyOf(executed);
            uiOutputs = Collections.unmodifiableMap(new LinkedHashMap<>(uiOutputs));
        }

        /** The {@code execution_interrupted} data object, keys in the reference's order. */
        public ObjectNode toJson(String promptId, long timestamp) {
            ObjectNode data = StopMessage.start(promptId, nodeId, nodeType, executed);
            data.put("timestamp", timestamp);
            return data;
        }
    }
}
