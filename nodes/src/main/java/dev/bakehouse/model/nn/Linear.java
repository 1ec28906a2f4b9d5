package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;

/** y = x W^T + b over the last axis; weight [out, in] as in the checkpoint. */
public final class Linear {
    private final Param weight;
    private final Param bias;

    /** Declares {@code <key>.weight} and, if {@code withBias}, {@code <key>.bias}. */
    public Linear(ParamStore store, String key, long in, long out, boolean withBias) {
        this.weight = store.declare(key + ".weight", out, in);
        this.bias = withBias ? store.declare(key + ".bias", out) : null;
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.core.Linear.linear(x, weight.value(), bias == null ? null : bias.value()).singletonOrThrow();
    }
}
