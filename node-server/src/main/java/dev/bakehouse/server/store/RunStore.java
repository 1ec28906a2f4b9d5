package dev.bakehouse.server.store;

import java.util.List;
import java.util.Optional;

/**
 * Run records: when each prompt started and ended and how far it got. The server reads them
 * after a kill to report what the interrupted prompt was doing.
 */
public interface RunStore {

    /** What is known about one run. {@code currentNode} is the node that started last. */
    record Run(
            String promptId,
            long startedAtMillis,
            Long finishedAtMillis,
            String outcome,
            String currentNode,
            String currentClassType,
            List<String> executed) {}

    void started(String promptId, long atMillis);

    void nodeStarted(String promptId, String nodeId, String classType);

    void nodeFinished(String promptId, String nodeId);

    void finished(String promptId, String outcome, long atMillis);

    Optional<Run> get(String promptId);
}
