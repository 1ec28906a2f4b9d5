package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.ImageBatch;
import java.util.List;

/**
 * Semantic events of one prompt run, called on the executing thread. The server turns them into
 * WebSocket messages (spec §5.5); the terminal event comes back as the {@link Outcome} of
 * {@link PromptExecutor#execute}, so the server can store history before sending it (§5.8).
 *
 * <p>Order of calls for one run:
 * <ol>
 *   <li>{@link #executionStart()} once;</li>
 *   <li>{@link #executionCached(List)} once (possibly empty);</li>
 *   <li>then for each scheduled node, in execution order, either
 *     <ul>
 *       <li>a cached output node: {@link #executed} with its cached UI output (or {@code null}
 *           when it has none), then {@link #nodeFinished}; or</li>
 *       <li>a node that runs: {@link #nodeStarting} (server: {@code progress_state} running,
 *           then {@code executing}), any number of {@link #progress} calls, {@link #executed}
 *           if it produced UI output, then {@link #nodeFinished} (server: {@code progress_state}
 *           finished).</li>
 *     </ul></li>
 * </ol>
 * A node that fails or is interrupted gets no {@link #nodeFinished}; the run stops there and
 * {@code execute} returns. Nothing is called after {@code execute} returns.
 */
public interface ExecutionListener {

    /** A listener that ignores everything. */
    ExecutionListener NONE = new ExecutionListener() {};

    /** The run began ({@code execution_start}). */
    default void executionStart() {}

    /** Every node of the prompt whose result is cached, in prompt key order ({@code execution_cached}). */
    default void executionCached(List<String> nodeIds) {}

    /** A node is about to run ({@code progress_state} running, {@code executing}). */
    default void nodeStarting(String nodeId) {}

    /** A running node reported step progress ({@code progress_state}, {@code progress}). */
    default void progress(String nodeId, long value, long max) {}

    /**
     * A running node reported step progress with a preview image (spec §5.6: the server sends
     * {@code progress_state}, the type-4 preview frame, {@code progress}, the type-1 frame). By
     * default the preview is ignored and this is a plain {@link #progress(String, long, long)}.
     *
     * @param preview one image (batch of one), values in [0, 1]
     */
    default void progress(String nodeId, long value, long max, ImageBatch preview) {
        progress(nodeId, value, max);
    }

    /** A running node sent its own event ({@link dev.bakehouse.node.NodeContext#send}), already namespaced. */
    default void nodeEvent(String nodeId, String type, ObjectNode data) {}

    /**
     * A node produced UI output, or a cached output node replays it ({@code executed}); {@code ui}
     * is {@code null} only for a cached output node without UI output.
     */
    default void executed(String nodeId, ObjectNode ui) {}

    /** A node completed or was served from the cache ({@code progress_state} finished). */
    default void nodeFinished(String nodeId) {}
}
