package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/**
 * k-diffusion {@code sample_euler_ancestral} with eta 1, s_noise 1: an Euler step down to
 * {@code sigma_down}, then fresh noise of size {@code sigma_up}, where
 * {@code sigma_up = min(sigma_next, sqrt(sigma_next^2 (sigma^2 - sigma_next^2) / sigma^2))} and
 * {@code sigma_down = sqrt(sigma_next^2 - sigma_up^2)}. The last step (sigma_next 0) returns denoised.
 */
public final class EulerAncestralSampler extends AncestralSampler {
    public EulerAncestralSampler() {
        this(1.0);
    }

    public EulerAncestralSampler(double eta) {
        super(eta);
    }

    @Override
    protected Stepper start(Denoiser denoiser, double[] sigmas, SamplingRun run) {
        return (i, x, step, report) -> {
            NDArray denoised = denoiser.denoise(x, sigmas[i]);
            report.denoised(denoised);
            double[] downUp = downUp(sigmas[i], sigmas[i + 1]);
            if (downUp[0] == 0) {
                return denoised;
            }
            NDArray euler = x.add(derivative(x, denoised, sigmas[i]).mul(downUp[0] - sigmas[i]));
            NDArray noise = run.noise().next(step, x.getShape(), i);
            return euler.add(noise.mul(downUp[1]));
        };
    }
}
