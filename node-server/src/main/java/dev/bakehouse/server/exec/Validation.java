package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The answer of {@link PromptValidator#validate}: accepted for queueing, or rejected with 400. */
public sealed interface Validation {

    /**
     * At least one output passed.
     *
     * @param prompt     a copy of the prompt with literals coerced and unwrapped and numeric
     *                   link ids stringified (§4.1): what the queue, history, hidden
     *                   {@code PROMPT} and PNG metadata carry
     * @param outputs    ids of the output nodes to execute (queue item element 4), in prompt
     *                   key order
     * @param nodeErrors per-node reasons of the dropped outputs ({@code {}} when none), for the
     *                   200 response's {@code node_errors}
     */
    record Accepted(ObjectNode prompt, List<String> outputs, ObjectNode nodeErrors)
            implements Validation {
        public Accepted {
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * Nothing can run: send {@link #body()} with status 400.
     *
     * @param body {@code {"error": {type, message, details, extra_info}, "node_errors": {…}}}
     */
    record Rejected(ObjectNode body) implements Validation {
        /** The top-level {@code error.type}, e.g. {@code prompt_outputs_failed_validation}. */
        public String type() {
            return body.path("error").path("type").asText();
        }
    }
}
