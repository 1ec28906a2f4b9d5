package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** 2-D convolution with bias; weight [out, in, k, k] as in the checkpoint. */
public final class Conv2d implements AdaptableLayer {
    private static final Shape NO_DILATION = new Shape(1, 1);
    private final Param weight;
    private final Param bias;
    private volatile LayerAdapter adapter;
    private final Shape stride;
    private final Shape padding;
    private final int strideSize;
    private final int paddingSize;

    public Conv2d(ParamStore store, String key, long in, long out, int kernel, int stride, int padding) {
        this.weight = store.declare(key + ".weight", out, in, kernel, kernel);
        this.bias = store.declare(key + ".bias", out);
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
        this.strideSize = stride;
        this.paddingSize = padding;
        store.registerAdaptable(this);
    }

    /** Stride 1, "same" padding. */
    public static Conv2d same(ParamStore store, String key, long in, long out, int kernel) {
        return new Conv2d(store, key, in, out, kernel, 1, kernel / 2);
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

    /** The stride along both axes (an adapter's own conv repeats it). */
    public int stride() {
        return strideSize;
    }

    /** The zero padding on every side. */
    public int padding() {
        return paddingSize;
    }

    public Param bias() {
        return bias;
    }

    public NDArray forward(NDArray x) {
        NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, weight.value(), bias.value(), stride, padding, NO_DILATION, 1)
                .singletonOrThrow();
        LayerAdapter a = adapter;
        NDArray delta = a == null ? null : a.delta(x);
        return delta == null ? y : y.add(delta);
    }
}
