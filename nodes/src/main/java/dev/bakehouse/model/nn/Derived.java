package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.Function;

/**
 * An array computed from weights (fused q/k/v, a norm scale reshaped to (C,1,1)), computed once and
 * recomputed only when one of its weights was swapped (see {@link Param#version()}). Creating such
 * arrays once, instead of on every forward, both saves native ops and keeps per-step work out of
 * the model's long-lived manager. The function's result lands in the first weight's manager.
 */
public final class Derived {
    private final List<Param> sources;
    private final Function<List<NDArray>, NDArray> compute;
    private long[] versions;
    private NDArray cached;

    public Derived(List<Param> sources, Function<List<NDArray>, NDArray> compute) {
        this.sources = List.copyOf(sources);
        this.compute = compute;
    }

    public synchronized NDArray get() {
        long[] now = new long[sources.size()];
        for (int i = 0; i < now.length; i++) {
            now[i] = sources.get(i).version();
        }
        if (cached == null || !java.util.Arrays.equals(now, versions)) {
            NDArray next = compute.apply(sources.stream().map(Param::value).toList());
            if (cached != null) {
                cached.close();
            }
            cached = next;
            versions = now;
        }
        return cached;
    }
}
