package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/**
 * k-diffusion/ComfyUI {@code sample_lcm} (Latent Consistency Models, Luo et al. 2023): every
 * step jumps to the model's clean estimate and re-noises it to the next level,
 * {@code x = denoised + sigma_next * noise_i} (ComfyUI's epsilon {@code noise_scaling}, never
 * max_denoise); the last step returns denoised. Noise for step i is draw i of the run's
 * {@link NoiseSource}.
 */
public final class LcmSampler extends Sampler {
    @Override
    protected Stepper start(Denoiser denoiser, double[] sigmas, SamplingRun run) {
        return (i, x, step, report) -> {
            NDArray denoised = denoiser.denoise(x, sigmas[i]);
            report.denoised(denoised);
            if (sigmas[i + 1] > 0) {
                return run.noise().next(step, x.getShape(), i).mul(sigmas[i + 1]).add(denoised);
            }
            return denoised;
        };
    }
}
