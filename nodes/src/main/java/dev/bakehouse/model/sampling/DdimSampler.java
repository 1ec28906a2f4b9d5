package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/**
 * Deterministic DDIM (eta 0) written in the DDPM variables: with {@code a = 1/(1+sigma^2)},
 * {@code x_t = sqrt(a) x}, {@code eps = (x - denoised)/sigma},
 * {@code x0 = (x_t - sqrt(1-a) eps)/sqrt(a)}, {@code x_prev = sqrt(a_next) x0 + sqrt(1-a_next) eps},
 * back to k-diffusion scale by {@code / sqrt(a_next)}.
 *
 * <p>Algebraically this is {@code denoised + sigma_next * eps}, i.e. exactly one Euler step, which
 * is why ComfyUI's {@code ddim} sampler simply runs Euler; combine it with the
 * {@code ddim_uniform} scheduler for DDIM's timesteps.
 */
public final class DdimSampler extends Sampler {
    @Override
    protected Stepper start(Denoiser denoiser, double[] sigmas, SamplingRun run) {
        return (i, x, step, report) -> {
            double sigma = sigmas[i];
            NDArray denoised = denoiser.denoise(x, sigma);
            report.denoised(denoised);
            double a = DiscreteSchedule.alphaCumprodOf(sigma);
            double aNext = DiscreteSchedule.alphaCumprodOf(sigmas[i + 1]);
            NDArray eps = derivative(x, denoised, sigma);
            NDArray xt = x.mul(Math.sqrt(a));
            NDArray x0 = xt.sub(eps.mul(Math.sqrt(1 - a))).div(Math.sqrt(a));
            NDArray prev = x0.mul(Math.sqrt(aNext)).add(eps.mul(Math.sqrt(1 - aNext)));
            return prev.div(Math.sqrt(aNext));
        };
    }
}
