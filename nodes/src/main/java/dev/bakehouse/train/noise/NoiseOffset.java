package dev.bakehouse.train.noise;

import ai.djl.ndarray.NDArray;
import java.util.OptionalDouble;

/**
 * kohya's {@code apply_noise_offset}: a per-(sample, channel) constant added to the noise, so the
 * model learns to shift an image's mean brightness (crosslabs' offset noise).
 */
public final class NoiseOffset {
    private NoiseOffset() {}

    /**
     * noise + offset * draw, where offset is {@code noiseOffset}, or with {@code --adaptive_noise_scale a}
     * the per-(b, c) {@link #adaptiveOffset}; {@code draw} is the (B, C, 1, 1) standard-normal draw.
     * The result is both the noise added to the latents and the target. In the noise's manager.
     */
    public static NDArray apply(NDArray latents, NDArray noise, double noiseOffset, OptionalDouble adaptiveScale, NDArray draw) {
        if (adaptiveScale.isEmpty()) {
            try (NDArray shift = draw.mul((float) noiseOffset)) {
                return noise.add(shift);
            }
        }
        try (NDArray offset = adaptiveOffset(latents, noiseOffset, adaptiveScale.getAsDouble());
                NDArray shift = offset.mul(draw)) {
            return noise.add(shift);
        }
    }

    /**
     * clamp(noiseOffset + scale * |mean_{h,w} latents[b, c]|, min 0), shaped (B, C, 1, 1): the
     * absolute value is of the per-channel mean, not a mean of absolute values; in the latents' manager.
     */
    public static NDArray adaptiveOffset(NDArray latents, double noiseOffset, double scale) {
        if (latents.getShape().dimension() != 4) {
            throw new IllegalArgumentException("adaptive noise offset: latents must be (B, C, H, W), found " + latents.getShape());
        }
        try (NDArray rowMean = latents.mean(new int[] {3}, true);
                NDArray mean = rowMean.mean(new int[] {2}, true);
                NDArray magnitude = mean.abs();
                NDArray scaled = magnitude.mul((float) scale);
                NDArray shifted = scaled.add((float) noiseOffset)) {
            return shifted.maximum(0f);
        }
    }
}
