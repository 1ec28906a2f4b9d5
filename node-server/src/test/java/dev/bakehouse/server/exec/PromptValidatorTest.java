package dev.bakehouse.server.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every validation outcome of {@code POST /prompt} against ComfyUI's exact JSON: texts, types,
 * {@code extra_info} keys and key order (compared as serialized text).
 */
class PromptValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PromptValidator validator = new PromptValidator(new LoggingTestNodes().registry());

    private static final String WIDGETS_OK =
            "\"steps\": 20, \"cfg\": 7.5, \"text\": \"\", \"flag\": false, \"sampler\": \"euler\"";

    @Test
    void noPrompt_isRejectedWithNoPromptType() {
        assertRejected(null, """
                {"error": {"type": "no_prompt", "message": "No prompt provided",
                  "details": "No prompt provided", "extra_info": {}}, "node_errors": {}}""");
    }

    @Test
    void missingClassType_isRejectedNamingTheFirstOffender() {
        assertRejected("""
                {"1": {"class_type": "TestInt", "inputs": {"value": 1}},
                 "2": {"inputs": {}}, "3": {"inputs": {}}}""", """
                {"error": {"type": "invalid_prompt",
                  "message": "Cannot execute because a node is missing the class_type property.",
                  "details": "Node ID '#2'", "extra_info": {}}, "node_errors": {}}""");
    }

    @Test
    void unknownClass_isRejectedEvenWhenUnreachable() {
        assertRejected("""
                {"1": {"class_type": "TestOutput", "inputs": {"value": 1}},
                 "2": {"class_type": "NoSuchNode", "inputs": {}}}""", """
                {"error": {"type": "invalid_prompt",
                  "message": "Cannot execute because node NoSuchNode does not exist.",
                  "details": "Node ID '#2'", "extra_info": {}}, "node_errors": {}}""");
    }

    @Test
    void promptWithoutOutputNodes_isRejectedWithPromptNoOutputs() {
        assertRejected("{\"1\": {\"class_type\": \"TestInt\", \"inputs\": {\"value\": 1}}}", """
                {"error": {"type": "prompt_no_outputs", "message": "Prompt has no outputs",
                  "details": "", "extra_info": {}}, "node_errors": {}}""");
    }

    @Test
    void partialTargets_nonOutputIdsAreIgnored() {
        String prompt = """
                {"1": {"class_type": "TestInt", "inputs": {"value": 1}},
                 "2": {"class_type": "TestOutput", "inputs": {"value": ["1", 0]}},
                 "3": {"class_type": "TestOutput", "inputs": {"value": ["1", 0]}}}""";
        Validation only1 = validator.validate(json(prompt), List.of("1"));
        assertEquals("prompt_no_outputs", assertInstanceOf(Validation.Rejected.class, only1).type());
        Validation only3 = validator.validate(json(prompt), List.of("3", "1"));
        assertEquals(List.of("3"), assertInstanceOf(Validation.Accepted.class, only3).outputs());
    }

    @Test
    void requiredInputMissing_onTheOutputItself_isInDetailsAndNodeErrors() {
        assertRejected("{\"1\": {\"class_type\": \"TestOutput\", \"inputs\": {}}}", """
                {"error": {"type": "prompt_outputs_failed_validation",
                  "message": "Prompt outputs failed validation",
                  "details": "Required input is missing: value", "extra_info": {}},
                 "node_errors": {"1": {"errors": [{"type": "required_input_missing",
                   "message": "Required input is missing", "details": "value",
                   "extra_info": {"input_name": "value"}}],
                  "dependent_outputs": ["1"], "class_type": "TestOutput"}}}""");
    }

    @Test
    void badLinkedInput_hasInputConfigAndReceivedValue() {
        assertOnlyReason("{\"1\": {\"class_type\": \"TestOutput\", \"inputs\": {\"value\": [\"2\"]}}}", "1",
                """
                {"type": "bad_linked_input",
                 "message": "Bad linked input, must be a length-2 list of [node_id, slot_index]",
                 "details": "value", "extra_info": {"input_name": "value", "input_config": ["*", {}],
                 "received_value": ["2"]}}""");
    }

    @Test
    void returnTypeMismatch_namesBothTypesAndTheLink() {
        assertOnlyReason("""
                {"1": {"class_type": "TestLatentSink", "inputs": {"samples": ["2", 0]}},
                 "2": {"class_type": "TestInt", "inputs": {"value": 1}}}""", "1", """
                {"type": "return_type_mismatch", "message": "Return type mismatch between linked nodes",
                 "details": "samples, received_type(INT) mismatch input_type(LATENT)",
                 "extra_info": {"input_name": "samples", "input_config": ["LATENT", {}],
                  "received_type": "INT", "linked_node": ["2", 0]}}""");
    }

    @Test
    void invalidInputType_carriesPythonsConversionMessage() {
        assertOnlyReason(widgets("\"steps\": \"7.9\""), "1", """
                {"type": "invalid_input_type", "message": "Failed to convert an input value to a INT value",
                 "details": "steps, 7.9, invalid literal for int() with base 10: '7.9'",
                 "extra_info": {"input_name": "steps",
                  "input_config": ["INT", {"default": 20, "min": 1, "max": 100, "step": 1}],
                  "received_value": "7.9",
                  "exception_message": "invalid literal for int() with base 10: '7.9'"}}""");
    }

    @Test
    void outOfRangeValues_reportMinAndMaxInPythonSpelling() {
        assertRejected(widgets("\"steps\": 0, \"cfg\": 30.5"), """
                {"error": {"type": "prompt_outputs_failed_validation",
                  "message": "Prompt outputs failed validation",
                  "details": "Value 0 smaller than min of 1: steps\\nValue 30.5 bigger than max of 30.0: cfg",
                  "extra_info": {}},
                 "node_errors": {"1": {"errors": [
                   {"type": "value_smaller_than_min", "message": "Value 0 smaller than min of 1",
                    "details": "steps", "extra_info": {"input_name": "steps",
                    "input_config": ["INT", {"default": 20, "min": 1, "max": 100, "step": 1}],
                    "received_value": 0}},
                   {"type": "value_bigger_than_max", "message": "Value 30.5 bigger than max of 30.0",
                    "details": "cfg", "extra_info": {"input_name": "cfg",
                    "input_config": ["FLOAT", {"default": 7.5, "min": 0.0, "max": 30.0, "step": 0.01}],
                    "received_value": 30.5}}],
                  "dependent_outputs": ["1"], "class_type": "TestWidgets"}}}""");
    }

    @Test
    void valueNotInList_listsTheOptions() {
        assertOnlyReason(widgets("\"sampler\": \"heun\""), "1", """
                {"type": "value_not_in_list", "message": "Value not in list",
                 "details": "sampler: 'heun' not in ['euler', 'ddim']",
                 "extra_info": {"input_name": "sampler", "input_config": [["euler", "ddim"], {}],
                  "received_value": "heun"}}""");
    }

    @Test
    void valueNotInList_withMoreThan20Options_summarisesAndNullsInputConfig() {
        assertOnlyReason("{\"1\": {\"class_type\": \"TestBigCombo\", \"inputs\": {\"choice\": \"zz\"}}}", "1",
                """
                {"type": "value_not_in_list", "message": "Value not in list",
                 "details": "choice: 'zz' not in (list of length 25)",
                 "extra_info": {"input_name": "choice", "input_config": null, "received_value": "zz"}}""");
    }

    @Test
    void customValidation_failure_givesOneReasonPerInputPassedWithItsText() {
        assertOnlyReason("{\"1\": {\"class_type\": \"TestValidated\", \"inputs\": {\"name\": \"bad\", \"count\": 1}}}",
                "1", """
                {"type": "custom_validation_failed", "message": "Custom validation failed for node",
                 "details": "name - must start with ok", "extra_info": {"input_name": "name"}}""");
        assertOnlyReason("{\"1\": {\"class_type\": \"TestValidated\", \"inputs\": {\"name\": \"bare\", \"count\": 1}}}",
                "1", """
                {"type": "custom_validation_failed", "message": "Custom validation failed for node",
                 "details": "name", "extra_info": {"input_name": "name"}}""");
    }

    @Test
    void customValidatedInput_skipsTheOptionCheckButOthersAreStillChecked() {
        Validation ok = validator.validate(json(
                "{\"1\": {\"class_type\": \"TestValidated\", \"inputs\": {\"name\": \"ok-unlisted\", \"count\": 1}}}"), null);
        assertInstanceOf(Validation.Accepted.class, ok);
        assertOnlyReason("{\"1\": {\"class_type\": \"TestValidated\", \"inputs\": {\"name\": \"ok-unlisted\", \"count\": 9}}}",
                "1", """
                {"type": "value_bigger_than_max", "message": "Value 9 bigger than max of 5",
                 "details": "count", "extra_info": {"input_name": "count",
                 "input_config": ["INT", {"default": 1, "min": 1, "max": 5, "step": 1}], "received_value": 9}}""");
    }

    @Test
    void customValidationWithInputTypes_replacesTheLinkTypeCheck() {
        Validation accepted = validator.validate(json("""
                {"1": {"class_type": "TestTyped", "inputs": {"value": ["2", 0]}},
                 "2": {"class_type": "TestInt", "inputs": {"value": 1}}}"""), null);
        assertInstanceOf(Validation.Accepted.class, accepted);
        assertOnlyReason("""
                {"1": {"class_type": "TestTyped", "inputs": {"value": ["2", 0]}},
                 "2": {"class_type": "TestLoader", "inputs": {"name": "m"}}}""", "1", """
                {"type": "custom_validation_failed", "message": "Custom validation failed for node",
                 "details": "input_types - needs INT, got {value=MODEL}",
                 "extra_info": {"input_name": "input_types"}}""");
    }

    @Test
    void linkToMissingNode_fromTheOutput_isAnExceptionDuringValidation() {
        assertRejected("{\"1\": {\"class_type\": \"TestOutput\", \"inputs\": {\"value\": [\"7\", 0]}}}", """
                {"error": {"type": "prompt_outputs_failed_validation",
                  "message": "Prompt outputs failed validation",
                  "details": "Exception when validating node: '7'", "extra_info": {}},
                 "node_errors": {"1": {"errors": [{"type": "exception_during_validation",
                   "message": "Exception when validating node", "details": "'7'",
                   "extra_info": {"exception_type": "KeyError", "traceback": []}}],
                  "dependent_outputs": ["1"], "class_type": "TestOutput"}}}""");
    }

    @Test
    void linkToMissingNode_upstream_isFiledUnderTheNodeHoldingTheBrokenLink() {
        assertRejected("""
                {"1": {"class_type": "TestOutput", "inputs": {"value": ["2", 0]}},
                 "2": {"class_type": "TestAdd", "inputs": {"a": ["7", 0], "b": ["3", 0]}},
                 "3": {"class_type": "TestInt", "inputs": {"value": 1}}}""", """
                {"error": {"type": "prompt_outputs_failed_validation",
                  "message": "Prompt outputs failed validation", "details": "", "extra_info": {}},
                 "node_errors": {"2": {"errors": [{"type": "exception_during_inner_validation",
                   "message": "Exception when validating inner node", "details": "'7'",
                   "extra_info": {"input_name": "value", "input_config": ["*", {}],
                    "exception_message": "'7'", "exception_type": "KeyError", "traceback": [],
                    "linked_node": ["2", 0]}}],
                  "dependent_outputs": ["1"], "class_type": "TestAdd"}}}""");
    }

    @Test
    void upstreamError_leavesDetailsEmptyAndListsOnlyTheFaultyNode() {
        assertRejected("""
                {"9": {"class_type": "TestOutput", "inputs": {"value": ["4", 0]}},
                 "4": {"class_type": "TestInt", "inputs": {"value": 500}}}""", """
                {"error": {"type": "prompt_outputs_failed_validation",
                  "message": "Prompt outputs failed validation", "details": "", "extra_info": {}},
                 "node_errors": {"4": {"errors": [{"type": "value_bigger_than_max",
                   "message": "Value 500 bigger than max of 100", "details": "value",
                   "extra_info": {"input_name": "value",
                    "input_config": ["INT", {"default": 0, "min": -100, "max": 100, "step": 1}],
                    "received_value": 500}}],
                  "dependent_outputs": ["9"], "class_type": "TestInt"}}}""");
    }

    @Test
    void cycle_isRejectedWithCycleNodesListed() {
        Validation result = validator.validate(json("""
                {"1": {"class_type": "TestOutput", "inputs": {"value": ["2", 0]}},
                 "2": {"class_type": "TestAdd", "inputs": {"a": ["3", 0], "b": ["3", 0]}},
                 "3": {"class_type": "TestAdd", "inputs": {"a": ["2", 0], "b": ["2", 0]}}}"""), null);
        JsonNode body = assertInstanceOf(Validation.Rejected.class, result).body();
        assertEquals("prompt_outputs_failed_validation", body.at("/error/type").asText());
        assertEquals("", body.at("/error/details").asText());
        assertEquals(List.of("3", "2"), fieldNames(body.get("node_errors")));
        for (String id : List.of("2", "3")) {
            assertEquals(json("""
                    {"errors": [{"type": "exception_during_validation",
                      "message": "Exception when validating node",
                      "details": "Dependency cycle detected: 2 -> 3 -> 2",
                      "extra_info": {"exception_type": "graph.DependencyCycleError", "traceback": []}}],
                     "dependent_outputs": ["1"], "class_type": "TestAdd"}"""), body.at("/node_errors/" + id));
        }
    }

    @Test
    void failedOutput_isDroppedWhileValidOutputsAreAccepted() {
        Validation result = validator.validate(json("""
                {"1": {"class_type": "TestOutput", "inputs": {"value": ["3", 0]}},
                 "2": {"class_type": "TestOutput", "inputs": {"value": ["4", 0]}},
                 "3": {"class_type": "TestInt", "inputs": {"value": 5}},
                 "4": {"class_type": "TestInt", "inputs": {"value": 500}}}"""), null);
        Validation.Accepted accepted = assertInstanceOf(Validation.Accepted.class, result);
        assertEquals(List.of("1"), accepted.outputs());
        assertEquals(List.of("4"), fieldNames(accepted.nodeErrors()));
        assertEquals("[\"2\"]", accepted.nodeErrors().at("/4/dependent_outputs").toString());
        assertEquals(List.of("errors", "dependent_outputs", "class_type"), fieldNames(accepted.nodeErrors().get("4")));
    }

    @Test
    void literals_areCoercedWithPythonRulesAndWrittenBack() {
        JsonNode original = json(widgets(
                "\"steps\": \"20\", \"cfg\": 5, \"text\": true, \"flag\": \"false\", \"extra\": [\"x\", 0]"));
        Validation.Accepted accepted = assertInstanceOf(Validation.Accepted.class,
                validator.validate(original, null));
        assertEquals("{\"steps\":20,\"cfg\":5.0,\"text\":\"True\",\"flag\":true,\"sampler\":\"euler\","
                + "\"extra\":[\"x\",0]}", accepted.prompt().at("/1/inputs").toString());
        assertEquals("\"20\"", original.at("/1/inputs/steps").toString(), "the request is not modified");

        JsonNode more = json(widgets("\"steps\": 7.9, \"cfg\": \"1e1\", \"text\": 5.0, \"flag\": {}"));
        Validation.Accepted second = assertInstanceOf(Validation.Accepted.class, validator.validate(more, null));
        assertEquals("{\"steps\":7,\"cfg\":10.0,\"text\":\"5.0\",\"flag\":false,\"sampler\":\"euler\"}",
                second.prompt().at("/1/inputs").toString());
    }

    @Test
    void seed_acceptsTheLargestUnsigned64BitValueAndWritesItBackExactly() {
        for (String literal : List.of("18446744073709551615", "\"18446744073709551615\"")) {
            Validation.Accepted accepted = assertInstanceOf(Validation.Accepted.class,
                    validator.validate(json(seed(literal)), null));
            JsonNode written = accepted.prompt().at("/1/inputs/seed");
            assertTrue(written.isBigInteger(), literal + " -> " + written.getNodeType());
            assertEquals("{\"seed\":18446744073709551615}", accepted.prompt().at("/1/inputs").toString());
        }
        Validation.Accepted truncated = assertInstanceOf(Validation.Accepted.class,
                validator.validate(json(seed("9223372036854775813.0")), null));
        assertEquals("9223372036854775808", truncated.prompt().at("/1/inputs/seed").toString(),
                "a float seed truncates its double value, as Python's int() does");
    }

    @Test
    void seed_aboveTheUnsigned64BitRange_isBiggerThanMax() {
        assertRejected(seed("18446744073709551616"), """
                {"error": {"type": "prompt_outputs_failed_validation",
                  "message": "Prompt outputs failed validation",
                  "details": "Value 18446744073709551616 bigger than max of 18446744073709551615: seed",
                  "extra_info": {}},
                 "node_errors": {"1": {"errors": [
                   {"type": "value_bigger_than_max",
                    "message": "Value 18446744073709551616 bigger than max of 18446744073709551615",
                    "details": "seed", "extra_info": {"input_name": "seed",
                    "input_config": ["INT", {"default": 0, "min": 0, "max": 18446744073709551615,
                                             "step": 1, "control_after_generate": true}],
                    "received_value": 18446744073709551616}}],
                  "dependent_outputs": ["1"], "class_type": "TestSeed"}}}""");
        Validation result = validator.validate(json(seed("18446744073709551616")), null);
        assertTrue(assertInstanceOf(Validation.Rejected.class, result).body()
                .at("/node_errors/1/errors/0/extra_info/received_value").isBigInteger());
    }

    @Test
    void seed_belowZeroOrAsAFloatAboveTheRange_isOutOfRange() {
        assertOnlyReason(seed("-1"), "1", """
                {"type": "value_smaller_than_min", "message": "Value -1 smaller than min of 0",
                 "details": "seed", "extra_info": {"input_name": "seed",
                  "input_config": ["INT", {"default": 0, "min": 0, "max": 18446744073709551615,
                                           "step": 1, "control_after_generate": true}],
                  "received_value": -1}}""");
        // 2^64 - 1 as a float is 2^64: int(1.8446744073709552e19) == 18446744073709551616
        Validation result = validator.validate(json(seed("1.8446744073709552e19")), null);
        assertEquals("Value 18446744073709551616 bigger than max of 18446744073709551615",
                assertInstanceOf(Validation.Rejected.class, result).body()
                        .at("/node_errors/1/errors/0/message").textValue());
    }

    @Test
    void wrappedListLiteral_isUnwrappedThenCoerced() {
        Validation.Accepted accepted = assertInstanceOf(Validation.Accepted.class, validator.validate(json(
                widgets("\"text\": {\"__value__\": [\"a\", 1, null, true]}")), null));
        assertEquals("['a', 1, None, True]", accepted.prompt().at("/1/inputs/text").asText());
    }

    @Test
    void numericLinkSourceId_isAcceptedAndStringified() {
        Validation.Accepted accepted = assertInstanceOf(Validation.Accepted.class, validator.validate(json("""
                {"1": {"class_type": "TestOutput", "inputs": {"value": [2, 0]}},
                 "2": {"class_type": "TestInt", "inputs": {"value": 1}}}"""), null));
        assertEquals("[\"2\",0]", accepted.prompt().at("/1/inputs/value").toString());
    }

    @Test
    void badSlotIndex_isAnIndexErrorOnTheOutput() {
        assertOnlyReason("""
                {"1": {"class_type": "TestOutput", "inputs": {"value": ["2", 3]}},
                 "2": {"class_type": "TestInt", "inputs": {"value": 1}}}""", "1", """
                {"type": "exception_during_validation", "message": "Exception when validating node",
                 "details": "tuple index out of range",
                 "extra_info": {"exception_type": "IndexError", "traceback": []}}""");
    }

    private void assertRejected(String prompt, String expectedBody) {
        Validation result = validator.validate(prompt == null ? null : json(prompt), null);
        Validation.Rejected rejected = assertInstanceOf(Validation.Rejected.class, result);
        assertEquals(json(expectedBody).toString(), rejected.body().toString());
    }

    /** The prompt is rejected and {@code node} has exactly this one reason. */
    private void assertOnlyReason(String prompt, String node, String expectedReason) {
        Validation result = validator.validate(json(prompt), null);
        JsonNode body = assertInstanceOf(Validation.Rejected.class, result).body();
        assertEquals("[" + json(expectedReason) + "]", body.at("/node_errors/" + node + "/errors").toString());
    }

    private static String widgets(String overrides) {
        JsonNode base = json("{" + WIDGETS_OK + "}");
        JsonNode changes = json("{" + overrides + "}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) base).setAll(
                (com.fasterxml.jackson.databind.node.ObjectNode) changes);
        return "{\"1\": {\"class_type\": \"TestWidgets\", \"inputs\": " + base + "}}";
    }

    private static String seed(String literal) {
        return "{\"1\": {\"class_type\": \"TestSeed\", \"inputs\": {\"seed\": " + literal + "}}}";
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
