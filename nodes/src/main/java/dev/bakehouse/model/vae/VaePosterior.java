package dev.bakehouse.model.vae;

import ai.djl.ndarray.NDArray;

/**
 * The encoder's diagonal Gaussian over latents (ldm {@code DiagonalGaussianDistribution}).
 *
 * @param moments quant_conv output (B, 2z, h, w) = concat(mean, logvar), before clamping
 * @param mean    (B, z, h, w), what {@code mode()} returns
 * @param logvar  (B, z, h, w), clamped to [-30, 20]
 */
public record VaePosterior(NDArray moments, NDArray mean, NDArray logvar) {}
