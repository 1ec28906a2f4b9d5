package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One validation problem of one node, with ComfyUI's stable {@code type} codes, messages and
 * {@code extra_info} keys (spec §3.3). One factory per code keeps the shapes in one place.
 */
record Reason(String type, String message, String details, ObjectNode extraInfo) {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** {@code {type, message, details, extra_info}}. */
    ObjectNode toJson() {
        ObjectNode node = JSON.objectNode();
        node.put("type", type);
        node.put("message", message);
        node.put("details", details);
        node.set("extra_info", extraInfo.deepCopy());
        return node;
    }

    static Reason requiredInputMissing(String input) {
        return new Reason("required_input_missing", "Required input is missing", input,
                info(input));
    }

    static Reason badLinkedInput(String input, JsonNode config, JsonNode received) {
        ObjectNode extra = info(input);
        extra.set("input_config", config);
        extra.set("received_value", received);
        return new Reason("bad_linked_input",
                "Bad linked input, must be a length-2 list of [node_id, slot_index]", input, extra);
    }

    static Reason returnTypeMismatch(String input, JsonNode config, String receivedType,
                                     String inputType, JsonNode link) {
        ObjectNode extra = info(input);
        extra.set("input_config", config);
        extra.put("received_type", receivedType);
        extra.set("linked_node", link);
        return new Reason("return_type_mismatch", "Return type mismatch between linked nodes",
                input + ", received_type(" + receivedType + ") mismatch input_type(" + inputType + ")",
                extra);
    }

    static Reason invalidInputType(String input, JsonNode config, String type, JsonNode received,
                                   String exceptionMessage) {
        ObjectNode extra = info(input);
        extra.set("input_config", config);
        extra.set("received_value", received);
        extra.put("exception_message", exceptionMessage);
        return new Reason("invalid_input_type",
                "Failed to convert an input value to a " + type + " value",
                input + ", " + Py.str(received) + ", " + exceptionMessage, extra);
    }

    static Reason valueSmallerThanMin(String input, JsonNode config, JsonNode value, String min) {
        return outOfRange("value_smaller_than_min",
                "Value " + Py.str(value) + " smaller than min of " + min, input, config, value);
    }

    static Reason valueBiggerThanMax(String input, JsonNode config, JsonNode value, String max) {
        return outOfRange("value_bigger_than_max",
                "Value " + Py.str(value) + " bigger than max of " + max, input, config, value);
    }

    /**
     * @param options the combo's options; over 20 are summarised and {@code input_config} is null,
     *                as the reference does to keep answers small
     */
    static Reason valueNotInList(String input, JsonNode config, JsonNode value, List<String> options) {
        boolean big = options.size() > 20;
        String listInfo = big ? "(list of length " + options.size() + ")" : Py.reprList(options);
        ObjectNode extra = info(input);
        extra.set("input_config", big ? JSON.nullNode() : config);
        extra.set("received_value", value);
        return new Reason("value_not_in_list", "Value not in list",
                input + ": '" + Py.str(value) + "' not in " + listInfo, extra);
    }

    /** @param reason the node's text, or {@code null} for a bare "invalid" */
    static Reason customValidationFailed(String input, String reason) {
        return new Reason("custom_validation_failed", "Custom validation failed for node",
                reason == null ? input : input + " - " + reason, info(input));
    }

    static Reason exceptionDuringInnerValidation(String input, JsonNode config, ValidationException ex,
                                                 JsonNode link) {
        ObjectNode extra = info(input);
        extra.set("input_config", config);
        extra.put("exception_message", ex.pythonMessage());
        extra.put("exception_type", ex.pythonType());
        extra.set("traceback", lines(ex.traceback()));
        extra.set("linked_node", link);
        return new Reason("exception_during_inner_validation", "Exception when validating inner node",
                ex.pythonMessage(), extra);
    }

    static Reason exceptionDuringValidation(String details, String exceptionType, List<String> traceback) {
        ObjectNode extra = JSON.objectNode();
        extra.put("exception_type", exceptionType);
        extra.set("traceback", lines(traceback));
        return new Reason("exception_during_validation", "Exception when validating node", details,
                extra);
    }

    private static Reason outOfRange(String type, String message, String input, JsonNode config,
                                     JsonNode value) {
        ObjectNode extra = info(input);
        extra.set("input_config", config);
        extra.set("received_value", value);
        return new Reason(type, message, input, extra);
    }

    private static ObjectNode info(String input) {
        ObjectNode extra = JSON.objectNode();
        extra.put("input_name", input);
        return extra;
    }

    private static ArrayNode lines(List<String> traceback) {
        ArrayNode array = JSON.arrayNode();
        traceback.forEach(array::add);
        return array;
    }
}
