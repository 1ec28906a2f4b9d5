package dev.bakehouse.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The node types a server offers, by {@code class_type}, in registration order (which is the
 * order of {@code /object_info}). Immutable; built from factories so that the executor can make
 * one instance per prompt node. Nothing here is global: each server builds its own.
 */
public final class NodeRegistry {
    private final Map<String, Entry> entries;

    private record Entry(Supplier<? extends Node> factory, Node prototype) {}

    private NodeRegistry(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /**
     * A registry of the given node factories.
     *
     * @throws IllegalArgumentException if two factories declare the same {@code class_type}
     */
    public static NodeRegistry of(List<? extends Supplier<? extends Node>> factories) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Supplier<? extends Node> factory : factories) {
            Node prototype = factory.get();
            String name = prototype.spec().name();
            if (entries.containsKey(name)) {
                throw new IllegalArgumentException("node type " + name + " is registered twice ("
                        + entries.get(name).prototype.getClass().getName() + " and "
                        + prototype.getClass().getName() + ")");
            }
            entries.put(name, new Entry(factory, prototype));
        }
        return new NodeRegistry(entries);
    }

    /** This registry plus more node types (for packs that register into the basic set). */
    public NodeRegistry with(List<? extends Supplier<? extends Node>> more) {
        List<Supplier<? extends Node>> all = new ArrayList<>();
        entries.values().forEach(e -> all.add(e.factory));
        all.addAll(more);
        return of(all);
    }

    public boolean contains(String classType) {
        return entries.containsKey(classType);
    }

    /** Every {@code class_type}, in registration order. */
    public List<String> classTypes() {
        return List.copyOf(entries.keySet());
    }

    /** The spec of a node type, if registered. */
    public Optional<NodeSpec> find(String classType) {
        Entry entry = entries.get(classType);
        return entry == null ? Optional.empty() : Optional.of(entry.prototype.spec());
    }

    /** The spec of a registered node type. */
    public NodeSpec spec(String classType) {
        return entry(classType).prototype.spec();
    }

    /** A shared instance for class-level questions (validation, fingerprints). */
    public Node prototype(String classType) {
        return entry(classType).prototype;
    }

    /** A fresh instance to run in a prompt. */
    public Node newInstance(String classType) {
        return entry(classType).factory.get();
    }

    private Entry entry(String classType) {
        Entry entry = entries.get(classType);
        if (entry == null) {
            throw new IllegalArgumentException("unknown node type '" + classType + "'");
        }
        return entry;
    }
}
