package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.server.exec.PromptGraph.GraphNode;
import dev.bakehouse.server.exec.PromptGraph.Link;
import dev.bakehouse.server.exec.PromptGraph.Literal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Calls one node with list semantics (spec §6.5): every input is a list of values (a literal is a
 * list of one); a normal node runs once per index up to the longest list, shorter lists repeating
 * their last element; an {@code INPUT_IS_LIST} node runs once with the lists. Results are merged
 * per output slot (concatenated for {@code OUTPUT_IS_LIST} slots) and UI outputs per key.
 */
final class NodeRunner {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private NodeRunner() {}

    /**
     * The input lists of a node: literals as one-element lists, links as the upstream slot's list.
     *
     * @param results results of the nodes already run or cached, by id
     */
    static Map<String, List<Object>> inputLists(GraphNode node, Function<String, CachedResult> results) {
        Map<String, List<Object>> lists = new LinkedHashMap<>();
        node.inputs().forEach((name, input) -> {
            if (input instanceof Link link) {
                CachedResult upstream = results.apply(link.sourceId());
                if (upstream == null || link.slot() >= upstream.outputs().size()) {
                    throw new IllegalStateException(node.label() + ": input '" + name
                            + "' links to output " + link.slot() + " of node #" + link.sourceId()
                            + ", which has not produced it");
                }
                lists.put(name, upstream.outputs().get(link.slot()));
            } else {
                List<Object> single = new ArrayList<>(1);
                single.add(Literals.toJava(((Literal) input).value()));
                lists.put(name, single);
            }
        });
        return lists;
    }

    /** Runs the node over its input lists and merges the results. */
    static CachedResult run(Node node, GraphNode graphNode, Map<String, List<Object>> lists,
                            RunContext ctx) throws Exception {
        NodeSpec spec = graphNode.spec();
        List<NodeResult> results = new ArrayList<>();
        if (spec.inputIsList()) {
            ctx.checkInterrupted();
            results.add(call(node, graphNode, new LinkedHashMap<>(lists), ctx));
        } else {
            int longest = lists.values().stream().mapToInt(List::size).max().orElse(0);
            if (longest == 0) {
                ctx.checkInterrupted();
                results.add(call(node, graphNode, Map.of(), ctx));
            }
            for (int i = 0; i < longest; i++) {
                ctx.checkInterrupted();
                results.add(call(node, graphNode, slice(graphNode, lists, i), ctx));
            }
        }
        return merge(spec, graphNode, results);
    }

    private static Map<String, Object> slice(GraphNode node, Map<String, List<Object>> lists, int i) {
        Map<String, Object> values = new LinkedHashMap<>();
        lists.forEach((name, list) -> {
            if (list.isEmpty()) {
                throw new IllegalStateException(node.label() + ": input '" + name
                        + "' is an empty list while other inputs have values");
            }
            values.put(name, list.get(Math.min(i, list.size() - 1)));
        });
        return values;
    }

    private static NodeResult call(Node node, GraphNode graphNode, Map<String, ?> values,
                                   RunContext ctx) throws Exception {
        NodeResult result = node.execute(new NodeInputs(graphNode.label(), values), ctx);
        int declared = graphNode.spec().outputs().size();
        if (result == null || result.outputs().size() != declared) {
            throw new IllegalStateException(graphNode.label() + " returned "
                    + (result == null ? "nothing" : result.outputs().size() + " values")
                    + " for " + declared + " declared outputs");
        }
        return result;
    }

    private static CachedResult merge(NodeSpec spec, GraphNode node, List<NodeResult> results) {
        List<List<Object>> outputs = new ArrayList<>();
        for (int slot = 0; slot < spec.outputs().size(); slot++) {
            OutputSpec output = spec.outputs().get(slot);
            List<Object> merged = new ArrayList<>();
            for (NodeResult result : results) {
                Object value = result.outputs().get(slot);
                if (!output.isList()) {
                    merged.add(value);
                } else if (value instanceof List<?> list) {
                    merged.addAll(list);
                } else {
                    throw new IllegalStateException(node.label() + ": output " + slot + " ("
                            + output.name() + ") is declared as a list but the node returned "
                            + (value == null ? "null" : value.getClass().getSimpleName()));
                }
            }
            outputs.add(merged);
        }
        ObjectNode ui = null;
        for (NodeResult result : results) {
            if (result.ui() != null) {
                ui = ui == null ? result.ui().deepCopy() : concat(ui, result.ui());
            }
        }
        return new CachedResult(outputs, ui);
    }

    /** UI outputs of several runs: lists concatenated per key; other values, the last wins. */
    private static ObjectNode concat(ObjectNode into, ObjectNode more) {
        for (Iterator<Map.Entry<String, JsonNode>> it = more.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ArrayNode array && field.getValue().isArray()) {
                array.addAll((ArrayNode) field.getValue().deepCopy());
            } else {
                into.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        return into;
    }

    /** {@code current_inputs} of an error: each list with non-primitive values as strings. */
    static ObjectNode describeInputs(Map<String, List<Object>> lists) {
        ObjectNode described = JSON.objectNode();
        lists.forEach((name, values) -> {
            ArrayNode array = described.putArray(name);
            for (Object value : values) {
                if (value == null) {
                    array.addNull();
                } else if (value instanceof Boolean b) {
                    array.add(b);
                } else if (value instanceof Long || value instanceof Integer) {
                    array.add(((Number) value).longValue());
                } else if (value instanceof Number n) {
                    array.add(n.doubleValue());
                } else {
                    array.add(String.valueOf(value));
                }
            }
        });
        return described;
    }
}
