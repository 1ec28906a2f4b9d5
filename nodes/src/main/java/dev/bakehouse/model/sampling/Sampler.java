package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A k-diffusion sampler: integrates from {@code sigmas[0]} down to {@code sigmas[n]}. The input
 * {@code x} is already noised to {@code sigmas[0]} in k-diffusion scale and is not modified or
 * closed; the result lives in the run's manager.
 *
 * <p>The step loop is shared: each step runs in a child manager of {@code run.manager()}; the
 * previous x dies with that step, the new x (and whatever a sampler keeps between steps) leaves
 * it explicitly.
 */
public abstract class Sampler {
    /** Per-run state of one sampler (e.g. DPM++ 2M's previous denoised). */
    protected interface Stepper {
        /** One step from sigmas[i] to sigmas[i+1]; returns the new x (in {@code step}) and reports denoised. */
        NDArray step(int i, NDArray x, NDManager step, StepReport report);

        /** Releases what the stepper kept between steps. */
        default void finish() {}
    }

    /** Collects the step's denoised for the listener. */
    protected static final class StepReport {
        private NDArray denoised;

        public void denoised(NDArray d) {
            this.denoised = d;
        }
    }

    /** Fresh state for one run. */
    protected abstract Stepper start(Denoiser denoiser, double[] sigmas, SamplingRun run);

    public final NDArray sample(Denoiser denoiser, NDArray x, double[] sigmas, SamplingRun run) {
        int total = sigmas.length - 1;
        NDArray current = x.duplicate();
        current.attach(run.manager());
        Stepper stepper = start(denoiser, sigmas, run);
        try {
            for (int i = 0; i < total; i++) {
                if (run.interrupted().getAsBoolean()) {
                    current.close();
                    throw new SamplingInterruptedException(i, total);
                }
                try (NDManager step = run.manager().newSubManager()) {
                    current.attach(step);
                    StepReport report = new StepReport();
                    NDArray next = stepper.step(i, current, step, report);
                    if (report.denoised != null) {
                        run.listener().onStep(i + 1, total, report.denoised);
                    }
                    next.attach(run.manager());
                    current = next;
                }
            }
            return current;
        } finally {
            stepper.finish();
        }
    }

    /**
     * k-diffusion {@code get_ancestral_step}: {sigma_down, sigma_up} for a step from
     * {@code sigmaFrom} to {@code sigmaTo}, with {@code sigma_down^2 + sigma_up^2 = sigmaTo^2}.
     */
    static double[] ancestralStep(double sigmaFrom, double sigmaTo, double eta) {
        if (eta == 0) {
            return new double[] {sigmaTo, 0.0};
        }
        double up = Math.min(sigmaTo, eta * Math.sqrt(sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo)
                / (sigmaFrom * sigmaFrom)));
        double down = Math.sqrt(sigmaTo * sigmaTo - up * up);
        return new double[] {down, up};
    }

    /** k-diffusion {@code to_d}: the ODE derivative {@code (x - denoised) / sigma}. */
    protected static NDArray derivative(NDArray x, NDArray denoised, double sigma) {
        return x.sub(denoised).div(sigma);
    }
}
