package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bakehouse.node.NodeRegistry;
import java.util.List;

/**
 * Validates an API-format prompt at {@code POST /prompt} exactly as ComfyUI reports errors
 * (spec §3.3, §4.1, §6.8). Stateless apart from the registry; combo options are read at call time.
 */
public final class PromptValidator {
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
        throw new UnsupportedOperationException("validation lands in the next commit");
    }
}
