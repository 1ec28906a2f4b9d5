package dev.bakehouse.server.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;

/** API-format prompts used by the tests, built in code. */
public final class Prompts {
    private Prompts() {}

    /** One node: {@code {"<id>": {"class_type": ..., "inputs": {...}}}}; add more with {@link #node}. */
    public static ObjectNode prompt() {
        return Json.object();
    }

    public static ObjectNode node(ObjectNode prompt, String id, String classType) {
        ObjectNode node = prompt.putObject(id);
        node.put("class_type", classType);
        return node.putObject("inputs");
    }

    /** A link value {@code [id, slot]}. */
    public static com.fasterxml.jackson.databind.node.ArrayNode link(String id, int slot) {
        com.fasterxml.jackson.databind.node.ArrayNode link = Json.array();
        link.add(id);
        link.add(slot);
        return link;
    }

    /** {@code TestSteps} with the given steps and label. */
    public static ObjectNode steps(int steps, String label) {
        ObjectNode prompt = prompt();
        ObjectNode inputs = node(prompt, "1", "TestSteps");
        inputs.put("steps", steps);
        inputs.put("label", label);
        return prompt;
    }

    public static ObjectNode gate(int n) {
        ObjectNode prompt = prompt();
        node(prompt, "1", "TestGate").put("n", n);
        return prompt;
    }

    public static ObjectNode fail(String message) {
        ObjectNode prompt = prompt();
        node(prompt, "1", "TestFail").put("message", message);
        return prompt;
    }

    public static ObjectNode preview(int width) {
        ObjectNode prompt = prompt();
        node(prompt, "1", "TestPreview").put("width", width);
        return prompt;
    }
}
