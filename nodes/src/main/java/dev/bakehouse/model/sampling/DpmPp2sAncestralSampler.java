package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/**
 * k-diffusion {@code sample_dpmpp_2s_ancestral} (DPM-Solver++(2S), Lu et al. 2022, eta 1,
 * s_noise 1) for a noise-prediction model. With {@code lambda = -log sigma}, each step goes to
 * sigma_down ({@link AncestralSampler}) with {@code h = lambda_down - lambda}: a first-order
 * data-prediction step to the midpoint {@code s = lambda + h/2},
 * {@code x_2 = (sigma_s/sigma) x - expm1(-h/2) denoised}, a model call there, and the full step
 * {@code x = (sigma_down/sigma) x - expm1(-h) denoised_2}; then {@code sigma_up} times the step's
 * noise when sigma_next > 0. The step to sigma 0 is Euler. Noise for step i is draw i of the run's
 * {@link NoiseSource}, as in ComfyUI (one draw per step that ends above 0).
 */
public final class DpmPp2sAncestralSampler extends AncestralSampler {
    public DpmPp2sAncestralSampler() {
        this(1.0);
    }

    /** eta 0 gives the deterministic DPM-Solver++(2S) with r = 1/2. */
    public DpmPp2sAncestralSampler(double eta) {
        super(eta);
    }

    @Override
    protected Stepper start(Denoiser denoiser, double[] sigmas, SamplingRun run) {
        return (i, x, step, report) -> {
            double sigma = sigmas[i];
            NDArray denoised = denoiser.denoise(x, sigma);
            report.denoised(denoised);
            double[] downUp = downUp(sigma, sigmas[i + 1]);
            double down = downUp[0];
            NDArray next;
            if (down == 0) {
                next = x.add(derivative(x, denoised, sigma).mul(-sigma));
            } else {
                double h = Math.log(sigma) - Math.log(down);
                double mid = sigma * Math.exp(-h / 2);
                NDArray xMid = x.mul(mid / sigma).sub(denoised.mul(Math.expm1(-h / 2)));
                NDArray denoisedMid = denoiser.denoise(xMid, mid);
                next = x.mul(down / sigma).sub(denoisedMid.mul(Math.expm1(-h)));
            }
            if (sigmas[i + 1] > 0) {
                next = next.add(run.noise().next(step, x.getShape(), i).mul(downUp[1]));
            }
            return next;
        };
    }
}
