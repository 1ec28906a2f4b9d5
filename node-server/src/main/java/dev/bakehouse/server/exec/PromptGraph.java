package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.InputSpec;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.NodeSpec;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated prompt parsed once into nodes whose declared inputs are either a {@link Link} or a
 * {@link Literal}. Undeclared inputs are dropped (spec §4.1 recommendation), so nothing a node
 * does not declare is scheduled or passed to it. Node and input order follow the prompt's keys.
 */
final class PromptGraph {
    /** A declared input's value. */
    sealed interface Input permits Link, Literal {}

    /** Output {@code slot} of node {@code sourceId}. */
    record Link(String sourceId, int slot) implements Input {}

    /** A widget value as written in the (coerced) prompt. */
    record Literal(JsonNode value) implements Input {}

    /** One prompt node. */
    record GraphNode(String id, String classType, NodeSpec spec, Map<String, Input> inputs) {
        /** Label used in messages: {@code "SaveImage #9"}. */
        String label() {
            return classType + " #" + id;
        }
    }

    private final Map<String, GraphNode> nodes;

    private PromptGraph(Map<String, GraphNode> nodes) {
        this.nodes = Collections.unmodifiableMap(nodes);
    }

    /**
     * Parses a prompt that passed {@link PromptValidator}.
     *
     * @throws IllegalArgumentException naming the node when its class is unknown
     */
    static PromptGraph parse(ObjectNode prompt, NodeRegistry registry) {
        Map<String, GraphNode> nodes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = prompt.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String id = entry.getKey();
            String classType = entry.getValue().path("class_type").asText();
            if (!registry.contains(classType)) {
                throw new IllegalArgumentException(
                        "node #" + id + ": unknown class_type '" + classType + "'");
            }
            NodeSpec spec = registry.spec(classType);
            JsonNode rawInputs = entry.getValue().path("inputs");
            Map<String, Input> inputs = new LinkedHashMap<>();
            for (Iterator<String> names = rawInputs.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                InputSpec declared = spec.input(name);
                if (declared != null) {
                    inputs.put(name, parseInput(rawInputs.get(name)));
                }
            }
            nodes.put(id, new GraphNode(id, classType, spec, Collections.unmodifiableMap(inputs)));
        }
        return new PromptGraph(nodes);
    }

    private static Input parseInput(JsonNode value) {
        if (value.isArray() && value.size() == 2 && value.get(1).canConvertToInt()) {
            return new Link(value.get(0).asText(), value.get(1).asInt());
        }
        return new Literal(Literals.unwrap(value));
    }

    /** Every node, in prompt key order. */
    Map<String, GraphNode> nodes() {
        return nodes;
    }

    GraphNode node(String id) {
        return nodes.get(id);
    }

    /** Node ids in prompt key order. */
    List<String> ids() {
        return List.copyOf(nodes.keySet());
    }
}
