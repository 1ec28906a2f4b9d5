package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/** k-diffusion {@code sample_euler} (no churn): {@code x += (sigma_next - sigma) * (x - denoised) / sigma}. */
public final class EulerSampler extends Sampler {
    @Override
    protected Stepper start(Denoiser denoiser, double[] sigmas, SamplingRun run) {
        return (i, x, step, report) -> {
            NDArray denoised = denoiser.denoise(x, sigmas[i]);
            report.denoised(denoised);
            return x.add(derivative(x, denoised, sigmas[i]).mul(sigmas[i + 1] - sigmas[i]));
        };
    }
}
