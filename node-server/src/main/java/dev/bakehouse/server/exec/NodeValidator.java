package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.ObjectInfo;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.node.ValidationResult;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates nodes of one prompt recursively from an output node upward (ComfyUI's
 * {@code validate_inputs}, spec §6.8), coercing literals in place in the prompt copy it was given.
 * Each node is validated once; results are kept in first-visit order, which is the order of
 * {@code node_errors}. Cycles are detected and every node on one gets an
 * {@code exception_during_validation} reason.
 */
final class NodeValidator {
    /** The validity of one node and its own reasons (empty when only an upstream node is bad). */
    record Result(boolean valid, List<Reason> reasons) {
        static final Result OK = new Result(true, List.of());
    }

    private final NodeRegistry registry;
    private final ObjectNode prompt;
    private final Map<String, Result> validated = new LinkedHashMap<>();
    private final Deque<String> inProgress = new ArrayDeque<>();
    private final Map<String, Reason> cycleReasons = new LinkedHashMap<>();

    /** @param prompt the prompt copy to validate and coerce; every node has a known class_type */
    NodeValidator(NodeRegistry registry, ObjectNode prompt) {
        this.registry = registry;
        this.prompt = prompt;
    }

    /** Results so far, by node id, in first-visit order. */
    Map<String, Result> results() {
        return Collections.unmodifiableMap(validated);
    }

    /** Records a result decided outside (an exception on an output node itself). */
    void file(String nodeId, Result result) {
        validated.put(nodeId, result);
    }

    /**
     * Validates a node and, first, everything it links to.
     *
     * @throws ValidationException when the node itself holds a broken link or its own check threw
     */
    Result validate(String nodeId) throws ValidationException {
        Result known = validated.get(nodeId);
        if (known != null) {
            return known;
        }
        if (inProgress.contains(nodeId)) {
            markCycle(nodeId);
            return new Result(false, List.of());
        }
        inProgress.push(nodeId);
        try {
            Result result = check(nodeId);
            validated.put(nodeId, result);
            return result;
        } finally {
            inProgress.pop();
        }
    }

    /** The node and every node it links to through declared inputs, transitively. */
    Set<String> reachableFrom(String outputId) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(outputId));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            JsonNode node = prompt.get(id);
            if (!seen.add(id) || node == null) {
                continue;
            }
            NodeSpec spec = registry.spec(node.path("class_type").asText());
            for (InputSpec input : spec.inputs()) {
                JsonNode value = node.path("inputs").get(input.name());
                if (value != null && value.isArray() && value.size() == 2) {
                    String source = value.get(0).isIntegralNumber()
                            ? value.get(0).asText() : value.get(0).textValue();
                    if (source != null && prompt.has(source)) {
                        todo.push(source);
                    }
                }
            }
        }
        return seen;
    }

    private Result check(String nodeId) throws ValidationException {
        ObjectNode node = (ObjectNode) prompt.get(nodeId);
        NodeSpec spec = registry.spec(node.get("class_type").textValue());
        ObjectNode inputs = inputsOf(node);
        List<Reason> errors = new ArrayList<>();
        boolean upstreamValid = true;
        Map<String, String> receivedTypes = new LinkedHashMap<>();

        for (InputSpec input : spec.inputs()) {
            String name = input.name();
            if (!inputs.has(name)) {
                if (spec.isRequired(name)) {
                    errors.add(Reason.requiredInputMissing(name));
                }
                continue;
            }
            ArrayNode config = ObjectInfo.inputConfig(input, true);
            JsonNode value = inputs.get(name);
            if (value.isArray()) {
                if (value.size() != 2) {
                    errors.add(Reason.badLinkedInput(name, config, value));
                    continue;
                }
                String sourceId = linkSource(value.get(0));
                ArrayNode link = inputs.putArray(name).add(sourceId).add(value.get(1));
                OutputSpec output = linkedOutput(sourceId, value.get(1));
                receivedTypes.put(name, output.type().name());
                if (!spec.validatesInputTypes() && !linkAccepts(input, output.type())) {
                    errors.add(Reason.returnTypeMismatch(name, config, output.type().name(),
                            typeText(input), link));
                    continue;
                }
                try {
                    if (!validate(sourceId).valid()) {
                        upstreamValid = false;
                    }
                } catch (ValidationException ex) {
                    upstreamValid = false;
                    validated.put(sourceId, new Result(false,
                            List.of(Reason.exceptionDuringInnerValidation(name, config, ex, link))));
                }
                continue;
            }
            Reason problem = checkLiteral(spec, input, config, inputs);
            if (problem != null) {
                errors.add(problem);
            }
        }
        errors.addAll(customValidation(nodeId, spec, inputs, receivedTypes));
        Reason cycle = cycleReasons.remove(nodeId);
        if (cycle != null) {
            errors.add(cycle);
        }
        return errors.isEmpty() && upstreamValid ? Result.OK : new Result(false, List.copyOf(errors));
    }

    /** Unwraps, coerces (writing back) and range/option-checks one literal; null when fine. */
    private Reason checkLiteral(NodeSpec spec, InputSpec input, ArrayNode config, ObjectNode inputs) {
        String name = input.name();
        JsonNode value = Literals.unwrap(inputs.get(name));
        inputs.set(name, value);
        String type = input.type().name();
        try {
            value = Coercion.coerce(value, type);
        } catch (Coercion.Failure failure) {
            return Reason.invalidInputType(name, config, type, value, failure.getMessage());
        }
        inputs.set(name, value);
        if (spec.customValidated().contains(name)) {
            return null;
        }
        if (input instanceof InputSpec.IntInput i) {
            BigInteger v = value.bigIntegerValue();
            if (v.compareTo(i.min()) < 0) {
                return Reason.valueSmallerThanMin(name, config, value, i.min().toString());
            }
            if (v.compareTo(i.max()) > 0) {
                return Reason.valueBiggerThanMax(name, config, value, i.max().toString());
            }
        } else if (input instanceof InputSpec.FloatInput f) {
            double v = value.doubleValue();
            if (v < f.min()) {
                return Reason.valueSmallerThanMin(name, config, value, Py.reprFloat(f.min()));
            }
            if (v > f.max()) {
                return Reason.valueBiggerThanMax(name, config, value, Py.reprFloat(f.max()));
            }
        } else if (input instanceof InputSpec.ComboInput c) {
            List<String> options = c.currentOptions();
            if (!value.isTextual() || !options.contains(value.textValue())) {
                return Reason.valueNotInList(name, config, value, options);
            }
        }
        return null;
    }

    /** Runs the node's own check on its custom-validated literals: one reason per input passed. */
    private List<Reason> customValidation(String nodeId, NodeSpec spec, ObjectNode inputs,
                                          Map<String, String> receivedTypes) throws ValidationException {
        if (spec.customValidated().isEmpty() && !spec.validatesInputTypes()) {
            return List.of();
        }
        Map<String, Object> literals = new LinkedHashMap<>();
        for (Iterator<String> names = inputs.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (spec.customValidated().contains(name) && !inputs.get(name).isArray()) {
                literals.put(name, Literals.toJava(inputs.get(name)));
            }
        }
        Node prototype = registry.prototype(spec.name());
        ValidationResult result;
        try {
            result = prototype.validateInputs(new NodeInputs(spec.name() + " #" + nodeId, literals),
                    spec.validatesInputTypes() ? receivedTypes : Map.of());
        } catch (Exception e) {
            throw ValidationException.of(e);
        }
        if (result.valid()) {
            return List.of();
        }
        List<String> passed = new ArrayList<>(literals.keySet());
        if (spec.validatesInputTypes()) {
            passed.add("input_types");
        }
        return passed.stream().map(name -> Reason.customValidationFailed(name, result.reason())).toList();
    }

    private ObjectNode inputsOf(ObjectNode node) throws ValidationException {
        JsonNode inputs = node.get("inputs");
        if (inputs == null || inputs.isNull()) {
            return node.putObject("inputs");
        }
        if (!inputs.isObject()) {
            throw new ValidationException("TypeError",
                    "'inputs' must be an object, got " + Py.typeName(inputs), List.of());
        }
        return (ObjectNode) inputs;
    }

    /** The linked node's id; numbers are accepted and stringified (spec §4.1 recommendation). */
    private String linkSource(JsonNode id) throws ValidationException {
        if (id.isArray() || id.isObject()) {
            throw new ValidationException("TypeError",
                    "unhashable type: '" + Py.typeName(id) + "'", List.of());
        }
        String text = id.isTextual() ? id.textValue() : id.isIntegralNumber() ? id.asText() : null;
        if (text == null || !prompt.has(text)) {
            throw ValidationException.missingNode(text == null ? Py.repr(id) : Py.reprString(text));
        }
        return text;
    }

    /** The upstream output a link points at, failing like Python's tuple indexing. */
    private OutputSpec linkedOutput(String sourceId, JsonNode slot) throws ValidationException {
        List<OutputSpec> outputs = registry.spec(prompt.get(sourceId).get("class_type").textValue())
                .outputs();
        if (!slot.isIntegralNumber() && !slot.isBoolean()) {
            throw new ValidationException("TypeError",
                    "tuple indices must be integers or slices, not " + Py.typeName(slot), List.of());
        }
        long index = slot.isBoolean() ? (slot.booleanValue() ? 1 : 0) : slot.asLong();
        long effective = index < 0 ? outputs.size() + index : index;
        if (effective < 0 || effective >= outputs.size()) {
            throw new ValidationException("IndexError", "tuple index out of range", List.of());
        }
        return outputs.get((int) effective);
    }

    private static boolean linkAccepts(InputSpec input, DataType received) {
        if (input instanceof InputSpec.ComboInput) {
            return received.equals(DataType.COMBO) || received.equals(DataType.ANY);
        }
        return DataType.compatible(received.name(), input.type().name());
    }

    /** How an input's type reads in a mismatch message (a combo's type is its option list). */
    private static String typeText(InputSpec input) {
        return input instanceof InputSpec.ComboInput c
                ? Py.reprList(c.currentOptions()) : input.type().name();
    }

    private void markCycle(String repeated) {
        List<String> stack = new ArrayList<>(inProgress);
        Collections.reverse(stack);
        List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(repeated), stack.size()));
        String path = String.join(" -> ", cycle) + " -> " + repeated;
        for (String member : cycle) {
            cycleReasons.putIfAbsent(member, Reason.exceptionDuringValidation(
                    "Dependency cycle detected: " + path, "graph.DependencyCycleError", List.of()));
        }
    }
}
