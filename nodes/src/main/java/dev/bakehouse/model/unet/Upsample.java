package dev.bakehouse.model.unet;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.model.nn.Conv2d;
import dev.bakehouse.model.nn.ParamStore;
import dev.bakehouse.model.nn.Resample;

/** LDM Upsample ({@code <key>.conv}): nearest-neighbour x2, then 3x3 conv, padding 1. */
final class Upsample implements UNetLayer {
    private final Conv2d conv;

    Upsample(ParamStore store, String key, long channels) {
        this.conv = Conv2d.same(store, key + ".conv", channels, channels, 3);
    }

    @Override
    public NDArray forward(NDArray x, NDArray embSilu, NDArray context) {
        return conv.forward(Resample.nearest2x(x));
    }
}
