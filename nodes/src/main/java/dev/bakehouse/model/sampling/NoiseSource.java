package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Standard-normal noise for ancestral/SDE steps, one array per call, in the given manager. */
@FunctionalInterface
public interface NoiseSource {
    /**
     * The noise for step {@code step} (0-based), shaped like the latent: the step-th draw of the
     * run's sequence, whatever other steps asked for (samplers skip the draw of a final step to 0).
     */
    NDArray next(NDManager manager, Shape shape, int step);

    /** No noise at all (makes an ancestral sampler deterministic; for tests and analysis). */
    static NoiseSource zeros() {
        return (manager, shape, step) -> manager.zeros(shape);
    }
}
