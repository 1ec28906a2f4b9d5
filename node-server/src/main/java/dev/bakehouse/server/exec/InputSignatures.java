package dev.bakehouse.server.exec;

import dev.bakehouse.node.HiddenInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.server.exec.PromptGraph.GraphNode;
import dev.bakehouse.server.exec.PromptGraph.Link;
import dev.bakehouse.server.exec.PromptGraph.Literal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache keys of a prompt's nodes, by ComfyUI's input-signature rules (spec §6.4): a node's key is
 * its own immediate signature followed by those of its ancestors, where an immediate signature is
 * class_type, fingerprint, (node id only for non-idempotent or {@code UNIQUE_ID} nodes) and every
 * input by sorted name: the literal value, or the linked ancestor's position in a canonical
 * ordering of the ancestry plus the slot. So ids do not matter and renumbered graphs hit the
 * cache. Keys are lists with value equality; a fingerprint that is NaN or fails becomes a fresh
 * object, equal to nothing, so the node always re-runs.
 */
final class InputSignatures {
    private static final Logger LOG = LoggerFactory.getLogger(InputSignatures.class);

    private final PromptGraph graph;
    private final Map<String, Object> fingerprints = new HashMap<>();

    private InputSignatures(PromptGraph graph) {
        this.graph = graph;
    }

    /**
     * Signatures of every node of the prompt; a node whose ancestry links to a node that is not in
     * the prompt gets none (it can never be cached).
     */
    static Map<String, Object> compute(PromptGraph graph, NodeRegistry registry) {
        InputSignatures signatures = new InputSignatures(graph);
        for (GraphNode node : graph.nodes().values()) {
            signatures.fingerprints.put(node.id(), fingerprint(node, registry.prototype(node.classType())));
        }
        Map<String, Object> keys = new LinkedHashMap<>();
        for (String id : graph.ids()) {
            keys.put(id, signatures.signature(id));
        }
        return keys;
    }

    private Object signature(String id) {
        List<String> ancestors = new ArrayList<>();
        Map<String, Integer> order = new HashMap<>();
        if (!collectAncestors(id, ancestors, order)) {
            return null;
        }
        List<Object> signature = new ArrayList<>();
        signature.add(immediate(graph.node(id), order));
        for (String ancestor : ancestors) {
            signature.add(immediate(graph.node(ancestor), order));
        }
        return signature;
    }

    /** Depth-first over links by sorted input name, each ancestor once; false on a dangling link. */
    private boolean collectAncestors(String id, List<String> ancestors, Map<String, Integer> order) {
        for (PromptGraph.Input input : new TreeMap<>(graph.node(id).inputs()).values()) {
            if (input instanceof Link link && !order.containsKey(link.sourceId())) {
                if (graph.node(link.sourceId()) == null) {
                    return false;
                }
                ancestors.add(link.sourceId());
                order.put(link.sourceId(), ancestors.size() - 1);
                if (!collectAncestors(link.sourceId(), ancestors, order)) {
                    return false;
                }
            }
        }
        return true;
    }

    private List<Object> immediate(GraphNode node, Map<String, Integer> order) {
        List<Object> signature = new ArrayList<>();
        signature.add(node.classType());
        signature.add(fingerprints.get(node.id()));
        if (node.spec().notIdempotent() || node.spec().hidden().contains(HiddenInput.UNIQUE_ID)) {
            signature.add(node.id());
        }
        new TreeMap<>(node.inputs()).forEach((name, input) -> {
            if (input instanceof Link link) {
                signature.add(Arrays.asList(name, "ANCESTOR", order.get(link.sourceId()), link.slot()));
            } else {
                signature.add(Arrays.asList(name, Literals.toJava(((Literal) input).value())));
            }
        });
        return signature;
    }

    private static Object fingerprint(GraphNode node, Node prototype) {
        Map<String, Object> literals = new LinkedHashMap<>();
        node.inputs().forEach((name, input) -> {
            if (input instanceof Literal literal) {
                literals.put(name, Literals.toJava(literal.value()));
            }
        });
        try {
            Object value = prototype.fingerprint(new NodeInputs(node.label(), literals));
            return isNaN(value) ? new Object() : value;
        } catch (Exception e) {
            // As the reference does with a failing IS_CHANGED: the node is treated as changed (it
            // re-runs), and the failure is logged rather than failing a prompt that may not need it.
            LOG.warn("fingerprint of {} failed, it will re-run: {}", node.label(), e.toString());
            return new Object();
        }
    }

    private static boolean isNaN(Object value) {
        return (value instanceof Double d && d.isNaN()) || (value instanceof Float f && f.isNaN());
    }
}
