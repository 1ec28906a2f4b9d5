package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** LayerNorm over the last axis with scale and shift. */
public final class LayerNorm {
    private final Shape normalized;
    private final float eps;
    private final Param weight;
    private final Param bias;

    public LayerNorm(ParamStore store, String key, long channels, double eps) {
        this.normalized = new Shape(channels);
        this.eps = (float) eps;
        this.weight = store.declare(key + ".weight", channels);
        this.bias = store.declare(key + ".bias", channels);
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalized, weight.value(), bias.value(), eps).singletonOrThrow();
    }
}
