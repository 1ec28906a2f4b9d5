package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Why a run failed: the fields of {@code execution_error} (spec §5.5.9).
 *
 * @param nodeId           the failing node
 * @param nodeType         its class_type
 * @param executed         nodes that ran to completion in this run, in order
 * @param exceptionMessage the exception's message ({@code ""} if none)
 * @param exceptionType    the Java exception class name (or {@code graph.DependencyCycleError})
 * @param traceback        stack lines, may be empty
 * @param currentInputs    input name → array of values the node received (non-primitive values
 *                         as strings); an empty array for a dependency cycle, as the reference
 * @param currentOutputs   node ids of the prompt
 */
public record ExecutionError(String nodeId, String nodeType, List<String> executed,
                             String exceptionMessage, String exceptionType, List<String> traceback,
                             JsonNode currentInputs, List<String> currentOutputs) {
    public ExecutionError {
        executed = List.copyOf(executed);
        traceback = List.copyOf(traceback);
        currentOutputs = List.copyOf(currentOutputs);
    }

    /** The {@code execution_error} data object, keys in the reference's order. */
    public ObjectNode toJson(String promptId, long timestamp) {
        ObjectNode data = StopMessage.start(promptId, nodeId, nodeType, executed);
        data.put("exception_message", exceptionMessage);
        data.put("exception_type", exceptionType);
        ArrayNode tracebackJson = data.putArray("traceback");
        traceback.forEach(tracebackJson::add);
        data.set("current_inputs", currentInputs.deepCopy());
        ArrayNode outputsJson = data.putArray("current_outputs");
        currentOutputs.forEach(outputsJson::add);
        data.put("timestamp", timestamp);
        return data;
    }
}
