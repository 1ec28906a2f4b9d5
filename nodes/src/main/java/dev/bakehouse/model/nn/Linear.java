package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;

/** y = x W^T + b over the last axis; weight [out, in] as in the checkpoint. */
public final class Linear implements AdaptableLayer {
    private final Param weight;
    private final Param bias;
    private volatile LayerAdapter adapter;

    /** Declares {@code <key>.weight} and, if {@code withBias}, {@code <key>.bias}. */
    public Linear(ParamStore store, String key, long in, long out, boolean withBias) {
        this(store, key + ".weight", withBias ? key + ".bias" : null, in, out);
    }

    /**
     * A linear whose weights do not follow the {@code <key>.weight} pattern (OpenCLIP's fused
     * {@code attn.in_proj_weight} / {@code attn.in_proj_bias}); {@code biasKey} null for none.
     */
    public Linear(ParamStore store, String weightKey, String biasKey, long in, long out) {
        this.weight = store.declare(weightKey, out, in);
        this.bias = biasKey != null ? store.declare(biasKey, out) : null;
        store.registerAdaptable(this);
    }

    @Override
    public void setAdapter(LayerAdapter adapter) {
        this.adapter = adapter;
    }

    @Override
    public boolean isAdapted() {
        return adapter != null;
    }

    @Override
    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    public NDArray forward(NDArray x) {
        NDArray y = ai.djl.nn.core.Linear.linear(x, weight.value(), bias == null ? null : bias.value()).singletonOrThrow();
        NDArray delta = adapterDelta(x);
        return delta == null ? y : y.add(delta);
    }

    /**
     * The adapter's branch for input {@code x}, or null when there is none: layers that fuse this
     * projection with others add it to their own slice of the fused output.
     */
    public NDArray adapterDelta(NDArray x) {
        LayerAdapter a = adapter;
        return a == null ? null : a.delta(x);
    }
}
