package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * k-diffusion {@code sample_dpmpp_2m} (DPM-Solver++(2M), Lu et al. 2022) in log-sigma time
 * {@code t = -log(sigma)}, {@code h = t_next - t}:
 * first step and the step to sigma 0 are first order,
 * {@code x = (sigma_next/sigma) x - expm1(-h) denoised}; the others use
 * {@code d = (1 + 1/(2r)) denoised - 1/(2r) denoised_prev} with {@code r = h_prev / h}.
 */
public final class DpmPp2mSampler extends Sampler {
    @Override
    protected Stepper start(Denoiser denoiser, double[] sigmas, SamplingRun run) {
        return new Stepper() {
            private NDArray previous;

            @Override
            public NDArray step(int i, NDArray x, NDManager step, StepReport report) {
                if (previous != null) {
                    previous.attach(step); // used for the last time in this step
                }
                NDArray denoised = denoiser.denoise(x, sigmas[i]);
                report.denoised(denoised);
                NDArray next;
                if (sigmas[i + 1] == 0) {
                    next = denoised.duplicate();
                } else {
                    double t = -Math.log(sigmas[i]);
                    double h = -Math.log(sigmas[i + 1]) - t;
                    NDArray d = denoised;
                    if (previous != null) {
                        double r = (t + Math.log(sigmas[i - 1])) / h;
                        d = denoised.mul(1 + 1 / (2 * r)).sub(previous.mul(1 / (2 * r)));
                    }
                    next = x.mul(sigmas[i + 1] / sigmas[i]).sub(d.mul(Math.expm1(-h)));
                }
                denoised.attach(run.manager());
                previous = denoised;
                return next;
            }

            @Override
            public void finish() {
                if (previous != null) {
                    previous.close();
                }
            }
        };
    }
}
