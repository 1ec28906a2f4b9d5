package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;

/** Told after every sampling step; arrays are valid only during the call (previews copy them). */
@FunctionalInterface
public interface StepListener {
    /**
     * @param step steps done so far (1..total)
     * @param denoised the step's x0 prediction
     */
    void onStep(int step, int total, NDArray denoised);

    static StepListener none() {
        return (step, total, denoised) -> {};
    }
}
