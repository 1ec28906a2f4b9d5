package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;

/** Resampling of (B, C, H, W) images shared by the UNet and the VAE. */
public final class Resample {
    private Resample() {}

    /** Nearest-neighbour x2 upsampling. */
    public static NDArray nearest2x(NDArray x) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        return x.getNDArrayInternal().interpolation(new long[] {2 * h, 2 * w}, 0, false);
    }
}
