package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/**
 * ComfyUI's {@code sample_ddpm}: the DDPM ancestral step (Ho et al. 2020, eq. 11) between two
 * arbitrary noise levels, in the DDPM variables. With {@code a = 1/(1+sigma^2)},
 * {@code a_next = 1/(1+sigma_next^2)}, {@code alpha = a / a_next}, the latent
 * {@code x_t = x sqrt(a)} and {@code eps = (x - denoised)/sigma}:
 * {@code mu = (x_t - (1-alpha) eps / sqrt(1-a)) / sqrt(alpha)}, plus
 * {@code sqrt((1-alpha)(1-a_next)/(1-a))} times the step's noise when sigma_next > 0; then back to
 * k-diffusion scale by {@code / sqrt(a_next)}. Noise for step i is draw i of the run's
 * {@link NoiseSource} (one draw per step that ends above 0, as in ComfyUI).
 */
public final class DdpmSampler extends Sampler {
    @Override
    protected Stepper start(Denoiser denoiser, double[] sigmas, SamplingRun run) {
        return (i, x, step, report) -> {
            double sigma = sigmas[i];
            double next = sigmas[i + 1];
            NDArray denoised = denoiser.denoise(x, sigma);
            report.denoised(denoised);
            double a = DiscreteSchedule.alphaCumprodOf(sigma);
            double aNext = DiscreteSchedule.alphaCumprodOf(next);
            double alpha = a / aNext;
            NDArray eps = derivative(x, denoised, sigma);
            NDArray mu = x.mul(Math.sqrt(a)).sub(eps.mul((1 - alpha) / Math.sqrt(1 - a))).div(Math.sqrt(alpha));
            if (next == 0) {
                return mu;
            }
            double spread = Math.sqrt((1 - alpha) * (1 - aNext) / (1 - a));
            return mu.add(run.noise().next(step, x.getShape(), i).mul(spread)).div(Math.sqrt(aNext));
        };
    }
}
