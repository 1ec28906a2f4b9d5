package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.ExecutionInterruptedException;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.server.exec.PromptGraph.GraphNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs validated prompts on the caller's thread (the server owns the single worker thread):
 * only what the output nodes need, in dependency order ({@link ExecutionOrder}), reusing results
 * cached by input signature ({@link OutputCache}), with list mapping ({@link NodeRunner}).
 * Node instances are kept per (node id, class) between prompts (spec §6.4).
 */
public final class PromptExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(PromptExecutor.class);
    private final NodeRegistry registry;
    private final DataDirs dirs;
    private final OutputCache cache;
    private final Clock clock;
    private final Map<String, Node> instances = new ConcurrentHashMap<>();

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
        interrupt.clear();
        PromptGraph graph = PromptGraph.parse(prompt, registry);
        listener.executionStart();
        Map<String, Object> signatures = InputSignatures.compute(graph, registry);
        cache.retainOnly(signatures.values());

        Map<String, CachedResult> results = new HashMap<>();
        List<String> cachedIds = new ArrayList<>();
        for (String id : graph.ids()) {
            CachedResult hit = cache.get(signatures.get(id));
            if (hit != null) {
                results.put(id, hit);
                cachedIds.add(id);
            }
        }
        listener.executionCached(List.copyOf(cachedIds));

        JsonNode extraPngInfo = extraData == null ? null : extraData.get("extra_pnginfo");
        Run run = new Run(promptId, graph, prompt, extraPngInfo, listener, interrupt, results,
                signatures, Set.copyOf(cachedIds));
        return run.execute(outputs);
    }

    /**
     * Forgets kept node instances, closing those that hold resources ({@code POST /free} with
     * {@code unload_models}). Called between prompts only.
     */
    public void dropNodeInstances() {
        List<Node> dropped = new ArrayList<>(instances.values());
        instances.clear();
        for (Node node : dropped) {
            if (node instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("closing node {} failed: {}", node.spec().name(), e.toString());
                }
            }
        }
    }

    private Node instance(GraphNode node) {
        return instances.computeIfAbsent(node.id() + "\u0000" + node.classType(),
                key -> registry.newInstance(node.classType()));
    }

    /** The state of one prompt run. */
    private final class Run {
        private final String promptId;
        private final PromptGraph graph;
        private final ObjectNode prompt;
        private final JsonNode extraPngInfo;
        private final ExecutionListener listener;
        private final InterruptFlag interrupt;
        private final Map<String, CachedResult> results;
        private final Map<String, Object> signatures;
        private final Set<String> cachedIds;
        private final List<String> executed = new ArrayList<>();

        Run(String promptId, PromptGraph graph, ObjectNode prompt, JsonNode extraPngInfo,
            ExecutionListener listener, InterruptFlag interrupt, Map<String, CachedResult> results,
            Map<String, Object> signatures, Set<String> cachedIds) {
            this.promptId = promptId;
            this.graph = graph;
            this.prompt = prompt;
            this.extraPngInfo = extraPngInfo;
            this.listener = listener;
            this.interrupt = interrupt;
            this.results = results;
            this.signatures = signatures;
            this.cachedIds = cachedIds;
        }

        Outcome execute(List<String> outputs) {
            ExecutionOrder order = new ExecutionOrder(graph, outputs, cachedIds);
            while (!order.isEmpty()) {
                String id;
                try {
                    id = order.next();
                } catch (ExecutionOrder.CycleException cycle) {
                    return cycleFailure(cycle);
                }
                GraphNode node = graph.node(id);
                if (cachedIds.contains(id)) {
                    ObjectNode ui = results.get(id).ui();
                    listener.executed(id, ui == null ? null : ui.deepCopy());
                } else {
                    Outcome stopped = runNode(node);
                    if (stopped != null) {
                        return stopped;
                    }
                }
                listener.nodeFinished(id);
                order.complete(id);
            }
            return new Outcome.Success(uiOutputs());
        }

        /** Runs one node; returns the terminal outcome if it failed or was interrupted. */
        private Outcome runNode(GraphNode node) {
            listener.nodeStarting(node.id());
            RunContext ctx = new RunContext(promptId, node.id(), dirs, prompt, extraPngInfo, clock,
                    listener, interrupt);
            Map<String, List<Object>> lists = Map.of();
            try {
                lists = NodeRunner.inputLists(node, results::get);
                CachedResult result = NodeRunner.run(instance(node), node, lists, ctx);
                results.put(node.id(), result);
                cache.put(signatures.get(node.id()), result);
                executed.add(node.id());
                if (result.ui() != null) {
                    listener.executed(node.id(), result.ui().deepCopy());
                }
                return null;
            } catch (ExecutionInterruptedException e) {
                return new Outcome.Interrupted(node.id(), node.classType(), executed, uiOutputs());
            } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                String message = e.getMessage() == null ? "" : e.getMessage();
                if (e instanceof OutOfMemoryError) {
                    message += "\nThis error means the JVM ran out of memory; try smaller images, "
                            + "batches or models, or a larger -Xmx.";
                }
                ExecutionError error = new ExecutionError(node.id(), node.classType(), executed,
                        message, e.getClass().getName(), Tracebacks.of(e),
                        NodeRunner.describeInputs(lists), graph.ids());
                return new Outcome.Failed(error, uiOutputs());
            }
        }

        private Outcome cycleFailure(ExecutionOrder.CycleException cycle) {
            GraphNode blamed = graph.node(cycle.blamed());
            ExecutionError error = new ExecutionError(blamed.id(), blamed.classType(), executed,
                    cycle.getMessage(), "graph.DependencyCycleError", List.of(),
                    JsonNodeFactory.instance.arrayNode(), graph.ids());
            return new Outcome.Failed(error, uiOutputs());
        }

        /** UI outputs of every prompt node known now (this run's or still cached), prompt order. */
        private Map<String, ObjectNode> uiOutputs() {
            Map<String, ObjectNode> ui = new LinkedHashMap<>();
            for (String id : graph.ids()) {
                CachedResult result = results.containsKey(id) ? results.get(id) : cache.get(signatures.get(id));
                if (result != null && result.ui() != null) {
                    ui.put(id, result.ui().deepCopy());
                }
            }
            return ui;
        }
    }
}
