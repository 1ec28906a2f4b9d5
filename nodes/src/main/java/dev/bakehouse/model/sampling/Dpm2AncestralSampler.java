package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/**
 * k-diffusion {@code sample_dpm_2_ancestral} (eta 1, s_noise 1): a {@link Dpm2Sampler} step down
 * to sigma_down ({@link AncestralSampler}), then {@code sigma_up} times the step's noise.
 * The step to sigma 0 is Euler without noise. Noise for step i is draw i of the run's
 * {@link NoiseSource} (ComfyUI draws once per step that ends above 0, so draw i is step i).
 */
public final class Dpm2AncestralSampler extends AncestralSampler {
    public Dpm2AncestralSampler() {
        this(1.0);
    }

    public Dpm2AncestralSampler(double eta) {
        super(eta);
    }

    @Override
    protected Stepper start(Denoiser denoiser, double[] sigmas, SamplingRun run) {
        return (i, x, step, report) -> {
            NDArray denoised = denoiser.denoise(x, sigmas[i]);
            report.denoised(denoised);
            double[] downUp = downUp(sigmas[i], sigmas[i + 1]);
            NDArray next = Dpm2Sampler.midpointStep(denoiser, x, denoised, sigmas[i], downUp[0]);
            if (downUp[0] == 0) {
                return next;
            }
            return next.add(run.noise().next(step, x.getShape(), i).mul(downUp[1]));
        };
    }
}
