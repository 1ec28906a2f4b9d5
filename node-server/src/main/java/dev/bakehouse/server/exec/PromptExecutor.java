package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeRegistry;
import java.time.Clock;
import java.util.List;

/**
 * Runs validated prompts on the caller's thread (the server owns the single worker thread):
 * only what the output nodes need, in dependency order, reusing cached results (spec §6).
 * Node instances are kept per (node id, class) between prompts.
 */
public final class PromptExecutor {
    private final NodeRegistry registry;
    private final DataDirs dirs;
    private final OutputCache cache;
    private final Clock clock;

    public PromptExecutor(NodeRegistry registry, DataDirs dirs, OutputCache cache) {
        this(registry, dirs, cache, Clock.systemDefaultZone());
    }

    /** @param clock handed to nodes for timestamps and file-name placeholders */
    public PromptExecutor(NodeRegistry registry, DataDirs dirs, OutputCache cache, Clock clock) {
        this.registry = registry;
        this.dirs = dirs;
        this.cache = cache;
        this.clock = clock;
    }

    /**
     * Executes a prompt that {@link PromptValidator} accepted. Clears {@code interrupt} first.
     *
     * @param promptId  the prompt's id
     * @param prompt    the coerced prompt ({@link Validation.Accepted#prompt()})
     * @param extraData the request's {@code extra_data} ({@code extra_pnginfo} is read), or null
     * @param outputs   output node ids to execute ({@link Validation.Accepted#outputs()})
     * @param listener  receives per-node events, see {@link ExecutionListener} for the order
     * @param interrupt checked before each node and on every progress report
     * @return success, the failure details, or where the interrupt was noticed; with UI outputs
     */
    public Outcome execute(String promptId, ObjectNode prompt, ObjectNode extraData,
                           List<String> outputs, ExecutionListener listener,
                           InterruptFlag interrupt) {
        throw new UnsupportedOperationException("execution lands in the next commit");
    }

    /** Forgets kept node instances (and the models they hold): {@code POST /free unload_models}. */
    public void dropNodeInstances() {
        throw new UnsupportedOperationException("execution lands in the next commit");
    }
}
