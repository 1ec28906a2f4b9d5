package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/**
 * k-diffusion {@code sample_heun} (Karras et al. 2022, Algorithm 2, no churn): an Euler predictor
 * to sigma_next, a second model call there, and the step taken with the mean of both slopes.
 * The step to sigma 0 is a plain Euler step (the slope at sigma 0 is undefined).
 */
public final class HeunSampler extends Sampler {
    @Override
    protected Stepper start(Denoiser denoiser, double[] sigmas, SamplingRun run) {
        return (i, x, step, report) -> {
            double sigma = sigmas[i];
            double next = sigmas[i + 1];
            NDArray denoised = denoiser.denoise(x, sigma);
            report.denoised(denoised);
            NDArray d = derivative(x, denoised, sigma);
            NDArray euler = x.add(d.mul(next - sigma));
            if (next == 0) {
                return euler;
            }
            NDArray d2 = derivative(euler, denoiser.denoise(euler, next), next);
            return x.add(d.add(d2).mul((next - sigma) / 2));
        };
    }
}
