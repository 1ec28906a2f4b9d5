package dev.bakehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.server.exec.ExecutionError;
import dev.bakehouse.server.exec.InterruptFlag;
import dev.bakehouse.server.exec.OutputCache;
import dev.bakehouse.server.exec.Outcome;
import dev.bakehouse.server.exec.PromptExecutor;
import dev.bakehouse.server.exec.PromptValidator;
import dev.bakehouse.server.exec.Validation;
import dev.bakehouse.server.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.UUID;

/**
 * Validates and executes one API-format prompt without a server, as {@code bakehouse run} does
 * and as commands that are a small graph underneath ({@code lbw-analyze}) do. Exit codes: 0
 * success, 1 a node failed (its error printed), 2 rejected (the validation errors printed), 3
 * interrupted.
 */
final class HeadlessRun {
    static final int NODE_FAILED = 1;
    static final int REJECTED = 2;
    static final int INTERRUPTED = 3;

    private HeadlessRun() {}

    /** @param label names the prompt in messages (the workflow file, the command) */
    static int execute(NodeRegistry registry, DataDirs dirs, JsonNode prompt, ObjectNode extraData, String label,
                       PrintWriter err, PrintWriter out) throws IOException {
        Validation validation = new PromptValidator(registry).validate(prompt, null);
        if (validation instanceof Validation.Rejected rejected) {
            err.println(label + " was rejected:");
            err.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rejected.body()));
            return REJECTED;
        }
        Validation.Accepted accepted = (Validation.Accepted) validation;
        PromptExecutor executor = new PromptExecutor(registry, dirs, new OutputCache());
        Outcome outcome = executor.execute(
                UUID.randomUUID().toString(), accepted.prompt(), extraData, accepted.outputs(),
                new ProgressPrinter(accepted.prompt(), err, out), new InterruptFlag());
        if (outcome instanceof Outcome.Failed failed) {
            ExecutionError error = failed.error();
            err.printf("node %s (%s) failed: %s: %s%n", error.nodeId(), error.nodeType(),
                    error.exceptionType(), error.exceptionMessage().strip());
            error.traceback().forEach(err::print);
            return NODE_FAILED;
        }
        if (outcome instanceof Outcome.Interrupted interrupted) {
            err.println("interrupted at node " + interrupted.nodeId());
            return INTERRUPTED;
        }
        err.println("done");
        err.flush();
        out.flush();
        return 0;
    }
}
