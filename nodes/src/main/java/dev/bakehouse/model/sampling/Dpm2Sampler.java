package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/**
 * k-diffusion {@code sample_dpm_2} (no churn): a midpoint method in log-sigma. The slope at
 * sigma is used to reach {@code sigma_mid = sqrt(sigma * sigma_next)} (the geometric mean, i.e.
 * halfway in log sigma); the slope there takes the whole step. The step to sigma 0 is Euler.
 */
public final class Dpm2Sampler extends Sampler {
    @Override
    protected Stepper start(Denoiser denoiser, double[] sigmas, SamplingRun run) {
        return (i, x, step, report) -> {
            NDArray denoised = denoiser.denoise(x, sigmas[i]);
            report.denoised(denoised);
            return midpointStep(denoiser, x, denoised, sigmas[i], sigmas[i + 1]);
        };
    }

    /**
     * One DPM-Solver-2 step from {@code sigma} to {@code target} given the denoised at sigma
     * (Euler when target is 0); shared with {@link Dpm2AncestralSampler}, which targets sigma_down.
     */
    static NDArray midpointStep(Denoiser denoiser, NDArray x, NDArray denoised, double sigma, double target) {
        NDArray d = derivative(x, denoised, sigma);
        if (target == 0) {
            return x.add(d.mul(target - sigma));
        }
        double mid = Math.exp((Math.log(sigma) + Math.log(target)) / 2);
        NDArray xMid = x.add(d.mul(mid - sigma));
        NDArray dMid = derivative(xMid, denoiser.denoise(xMid, mid), mid);
        return x.add(dMid.mul(target - sigma));
    }
}
