package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/**
 * k-diffusion's model interface: given the sampling state {@code x = x0 + sigma * eps} and its
 * noise level, the predicted clean latent {@code x0} ("denoised"). The result must live in
 * {@code x}'s manager.
 */
@FunctionalInterface
public interface Denoiser {
    NDArray denoise(NDArray x, double sigma);
}
