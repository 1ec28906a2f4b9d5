package dev.bakehouse.server.exec;

import dev.bakehouse.server.exec.PromptGraph.GraphNode;
import dev.bakehouse.server.exec.PromptGraph.Link;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes run and in what order (spec §6.2): the roots plus every uncached node they need,
 * picked one at a time among the ready ones the way the reference does, so results appear
 * early: output nodes first, then nodes feeding an output directly, then at two steps, then the
 * first ready node in staging order. For the §4.1 example this gives 4, 5, 7, 6, 3, 8, 9.
 */
final class ExecutionOrder {
    /** No node is ready while some are pending. */
    static final class CycleException extends Exception {
        private final String blamed;

        CycleException(String blamed) {
            super("Dependency cycle detected");
            this.blamed = blamed;
        }

        /** The first pending node, reported as the failing one. */
        String blamed() {
            return blamed;
        }
    }

    private final PromptGraph graph;
    private final Set<String> cached;
    private final Map<String, Boolean> pending = new LinkedHashMap<>();
    private final Map<String, Integer> blockCount = new HashMap<>();
    private final Map<String, Set<String>> blocking = new HashMap<>();

    /**
     * @param roots  output nodes to execute; they are scheduled even when cached
     * @param cached nodes whose results are already available (not scheduled unless a root)
     */
    ExecutionOrder(PromptGraph graph, List<String> roots, Set<String> cached) {
        this.graph = graph;
        this.cached = cached;
        roots.forEach(this::addNode);
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** The next node to run; call {@link #complete} once it is done. */
    String next() throws CycleException {
        List<String> ready = new ArrayList<>();
        pending.keySet().forEach(id -> {
            if (blockCount.get(id) == 0) {
                ready.add(id);
            }
        });
        if (ready.isEmpty()) {
            throw new CycleException(pending.keySet().iterator().next());
        }
        for (String id : ready) {
            if (isOutput(id)) {
                return id;
            }
        }
        for (String id : ready) {
            if (blocking.get(id).stream().anyMatch(this::isOutput)) {
                return id;
            }
        }
        for (String id : ready) {
            for (String next : blocking.get(id)) {
                if (blocking.get(next).stream().anyMatch(this::isOutput)) {
                    return id;
                }
            }
        }
        return ready.get(0);
    }

    /** Marks a node done, unblocking its consumers. */
    void complete(String id) {
        pending.remove(id);
        for (String consumer : blocking.get(id)) {
            blockCount.merge(consumer, -1, Integer::sum);
        }
    }

    /** Stages a node and, depth-first, every uncached node it links to (input order). */
    private void addNode(String root) {
        Deque<String> todo = new ArrayDeque<>(List.of(root));
        List<String[]> links = new ArrayList<>();
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (pending.containsKey(id)) {
                continue;
            }
            pending.put(id, true);
            blockCount.put(id, 0);
            blocking.put(id, new LinkedHashSet<>());
            GraphNode node = graph.node(id);
            for (PromptGraph.Input input : node.inputs().values()) {
                if (input instanceof Link link) {
                    if (!cached.contains(link.sourceId())) {
                        todo.push(link.sourceId());
                    }
                    links.add(new String[] {link.sourceId(), id});
                }
            }
        }
        for (String[] link : links) {
            addStrongLink(link[0], link[1]);
        }
    }

    private void addStrongLink(String from, String to) {
        if (cached.contains(from)) {
            return;
        }
        addNode(from);
        if (blocking.get(from).add(to)) {
            blockCount.merge(to, 1, Integer::sum);
        }
    }

    private boolean isOutput(String id) {
        return graph.node(id).spec().outputNode();
    }
}
