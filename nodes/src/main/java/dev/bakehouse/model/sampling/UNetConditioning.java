package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/**
 * What guides one side of classifier-free guidance: the cross-attention context (B, tokens, C) and,
 * for a UNet with vector conditioning (SDXL: pooled text + size embeddings), y (B, adm_in_channels);
 * y is null for SD1/SD2.
 */
public record UNetConditioning(NDArray context, NDArray y) {
    public UNetConditioning {
        java.util.Objects.requireNonNull(context, "context");
        if (context.getShape().dimension() != 3) {
            throw new IllegalArgumentException("context must be (B, tokens, channels), found " + context.getShape());
        }
        if (y != null && (y.getShape().dimension() != 2 || y.getShape().get(0) != context.getShape().get(0))) {
            throw new IllegalArgumentException("vector conditioning y must be (" + context.getShape().get(0)
                    + ", adm_in_channels), found " + y.getShape());
        }
    }

    /** SD1/SD2: the context alone. */
    public static UNetConditioning of(NDArray context) {
        return new UNetConditioning(context, null);
    }
}
