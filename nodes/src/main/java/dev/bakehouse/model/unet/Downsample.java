package dev.bakehouse.model.unet;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.model.nn.Conv2d;
import dev.bakehouse.model.nn.ParamStore;

/** LDM Downsample ({@code <key>.op}): 3x3 conv, stride 2, padding 1. */
final class Downsample implements UNetLayer {
    private final Conv2d op;

    Downsample(ParamStore store, String key, long channels) {
        this.op = new Conv2d(store, key + ".op", channels, channels, 3, 2, 1);
    }

    @Override
    public NDArray forward(NDArray x, NDArray embSilu, NDArray context) {
        return op.forward(x);
    }
}
