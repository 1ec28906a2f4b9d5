package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.NodeRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates an API-format prompt at {@code POST /prompt} exactly as ComfyUI reports errors
 * (spec §3.3, §4.1, §6.8). Stateless apart from the registry; combo options are read at call time.
 *
 * <p>Where the spec recommends a deviation we follow it: numeric link ids are accepted, cycles
 * are reported per node, and {@code dependent_outputs} lists only outputs that reach the node.
 */
public final class PromptValidator {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final NodeRegistry registry;

    public PromptValidator(NodeRegistry registry) {
        this.registry = registry;
    }

    /**
     * Validates a prompt.
     *
     * @param prompt         the request body's {@code prompt} value; {@code null} or a missing node
     *                       gives {@code no_prompt}
     * @param partialTargets {@code partial_execution_targets}, or {@code null} for all outputs
     * @return the accepted, coerced prompt with the outputs to run, or the 400 body
     */
    public Validation validate(JsonNode prompt, List<String> partialTargets) {
        if (prompt == null || prompt.isMissingNode()) {
            return reject("no_prompt", "No prompt provided", "No prompt provided", JSON.objectNode());
        }
        if (!prompt.isObject()) {
            return reject("invalid_prompt", "Cannot execute because the prompt is not a JSON object.",
                    "", JSON.objectNode());
        }
        ObjectNode copy = prompt.deepCopy();
        List<String> outputs = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = copy.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String id = entry.getKey();
            JsonNode classType = entry.getValue().get("class_type");
            if (!entry.getValue().isObject() || classType == null) {
                return reject("invalid_prompt",
                        "Cannot execute because a node is missing the class_type property.",
                        "Node ID '#" + id + "'", JSON.objectNode());
            }
            if (!classType.isTextual() || !registry.contains(classType.textValue())) {
                return reject("invalid_prompt",
                        "Cannot execute because node " + Py.str(classType) + " does not exist.",
                        "Node ID '#" + id + "'", JSON.objectNode());
            }
            boolean targeted = partialTargets == null || partialTargets.contains(id);
            if (registry.spec(classType.textValue()).outputNode() && targeted) {
                outputs.add(id);
            }
        }
        if (outputs.isEmpty()) {
            return reject("prompt_no_outputs", "Prompt has no outputs", "", JSON.objectNode());
        }
        return validateOutputs(copy, outputs);
    }

    private Validation validateOutputs(ObjectNode prompt, List<String> outputs) {
        NodeValidator validator = new NodeValidator(registry, prompt);
        List<String> good = new ArrayList<>();
        Map<String, List<Reason>> failedOutputReasons = new LinkedHashMap<>();
        Map<String, NodeErrors> nodeErrors = new LinkedHashMap<>();
        for (String output : outputs) {
            NodeValidator.Result result;
            try {
                result = validator.validate(output);
            } catch (ValidationException ex) {
                result = new NodeValidator.Result(false, List.of(Reason.exceptionDuringValidation(
                        ex.pythonMessage(), ex.pythonType(), ex.traceback())));
                validator.file(output, result);
            }
            if (result.valid()) {
                good.add(output);
                continue;
            }
            failedOutputReasons.put(output, result.reasons());
            Set<String> reached = validator.reachableFrom(output);
            validator.results().forEach((id, r) -> {
                // Nodes invalid only because of an upstream node carry no reasons of their own
                // and are not listed (the reference does the same).
                if (!r.valid() && !r.reasons().isEmpty() && reached.contains(id)) {
                    nodeErrors.computeIfAbsent(id, k -> new NodeErrors(r.reasons(),
                            prompt.get(id).get("class_type").textValue())).dependents.add(output);
                }
            });
        }
        ObjectNode nodeErrorsJson = JSON.objectNode();
        nodeErrors.forEach((id, errors) -> nodeErrorsJson.set(id, errors.toJson()));
        if (good.isEmpty()) {
            List<String> lines = new ArrayList<>();
            failedOutputReasons.values().forEach(reasons -> reasons.forEach(
                    r -> lines.add(r.message() + ": " + r.details())));
            return reject("prompt_outputs_failed_validation", "Prompt outputs failed validation",
                    String.join("\n", lines), nodeErrorsJson);
        }
        return new Validation.Accepted(prompt, good, nodeErrorsJson);
    }

    private static Validation reject(String type, String message, String details,
                                     ObjectNode nodeErrors) {
        ObjectNode body = JSON.objectNode();
        ObjectNode error = body.putObject("error");
        error.put("type", type);
        error.put("message", message);
        error.put("details", details);
        error.putObject("extra_info");
        body.set("node_errors", nodeErrors);
        return new Validation.Rejected(body);
    }

    /** One {@code node_errors} entry: keys {@code errors}, {@code dependent_outputs}, {@code class_type}. */
    private static final class NodeErrors {
        private final List<Reason> reasons;
        private final String classType;
        private final List<String> dependents = new ArrayList<>();

        NodeErrors(List<Reason> reasons, String classType) {
            this.reasons = reasons;
            this.classType = classType;
        }

        ObjectNode toJson() {
            ObjectNode node = JSON.objectNode();
            ArrayNode errors = node.putArray("errors");
            reasons.forEach(r -> errors.add(r.toJson()));
            ArrayNode dependentJson = node.putArray("dependent_outputs");
            dependents.forEach(dependentJson::add);
            node.put("class_type", classType);
            return node;
        }
    }
}
