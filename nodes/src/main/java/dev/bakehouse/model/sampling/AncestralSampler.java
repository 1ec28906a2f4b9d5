package dev.bakehouse.model.sampling;

/**
 * A sampler that takes its deterministic step down to {@code sigma_down} and then adds
 * {@code sigma_up} times the step's noise ({@link Sampler#ancestralStep}). eta scales the
 * injected noise: 1 is ComfyUI's setting, 0 leaves the underlying ODE solver.
 */
abstract class AncestralSampler extends Sampler {
    private final double eta;

    AncestralSampler(double eta) {
        if (!(eta >= 0)) {
            throw new IllegalArgumentException("eta must be >= 0, found " + eta);
        }
        this.eta = eta;
    }

    /** {sigma_down, sigma_up} for the step from {@code sigma} to {@code sigmaNext}. */
    final double[] downUp(double sigma, double sigmaNext) {
        return ancestralStep(sigma, sigmaNext, eta);
    }
}
