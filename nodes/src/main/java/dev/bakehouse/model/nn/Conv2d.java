package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** 2-D convolution with bias; weight [out, in, k, k] as in the checkpoint. */
public final class Conv2d {
    private static final Shape NO_DILATION = new Shape(1, 1);
    private final Param weight;
    private final Param bias;
    private final Shape stride;
    private final Shape padding;

    public Conv2d(ParamStore store, String key, long in, long out, int kernel, int stride, int padding) {
        this.weight = store.declare(key + ".weight", out, in, kernel, kernel);
        this.bias = store.declare(key + ".bias", out);
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
    }

    /** Stride 1, "same" padding. */
    public static Conv2d same(ParamStore store, String key, long in, long out, int kernel) {
        return new Conv2d(store, key, in, out, kernel, 1, kernel / 2);
    }

    public Param weight() {
        return weight;
    }

    public Param bias() {
        return bias;
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight.value(), bias.value(), stride, padding, NO_DILATION, 1)
                .singletonOrThrow();
    }
}
