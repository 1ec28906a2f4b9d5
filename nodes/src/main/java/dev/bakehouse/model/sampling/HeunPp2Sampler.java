package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/**
 * ComfyUI's {@code sample_heunpp2} (no churn): Heun with an extra look-ahead and weights that
 * lean on the current slope. With {@code d} the slope at sigma_i, {@code d_2} at sigma_{i+1}
 * after an Euler step, {@code d_3} at sigma_{i+2} after a further Euler step from there:
 * <ul>
 *   <li>steps that end at the schedule's last sigma: Euler;</li>
 *   <li>the step before: {@code d' = (1 - w2) d + w2 d_2}, {@code w2 = sigma_{i+1} / (2 sigma_0)};</li>
 *   <li>earlier steps: {@code d' = (1 - w2 - w3) d + w2 d_2 + w3 d_3} with
 *       {@code w2 = sigma_{i+1} / (3 sigma_0)}, {@code w3 = sigma_{i+2} / (3 sigma_0)};</li>
 * </ul>
 * and {@code x += d' (sigma_{i+1} - sigma_i)}. sigma_0 is the first sigma of the run.
 */
public final class HeunPp2Sampler extends Sampler {
    @Override
    protected Stepper start(Denoiser denoiser, double[] sigmas, SamplingRun run) {
        double end = sigmas[sigmas.length - 1];
        return (i, x, step, report) -> {
            double sigma = sigmas[i];
            double next = sigmas[i + 1];
            NDArray denoised = denoiser.denoise(x, sigma);
            report.denoised(denoised);
            NDArray d = derivative(x, denoised, sigma);
            double dt = next - sigma;
            NDArray x2 = x.add(d.mul(dt));
            if (next == end) {
                return x2;
            }
            NDArray d2 = derivative(x2, denoiser.denoise(x2, next), next);
            NDArray slope;
            if (sigmas[i + 2] == end) {
                double w2 = next / (2 * sigmas[0]);
                slope = d.mul(1 - w2).add(d2.mul(w2));
            } else {
                double after = sigmas[i + 2];
                NDArray x3 = x2.add(d2.mul(after - next));
                NDArray d3 = derivative(x3, denoiser.denoise(x3, after), after);
                double w2 = next / (3 * sigmas[0]);
                double w3 = after / (3 * sigmas[0]);
                slope = d.mul(1 - w2 - w3).add(d2.mul(w2)).add(d3.mul(w3));
            }
            return x.add(slope.mul(dt));
        };
    }
}
