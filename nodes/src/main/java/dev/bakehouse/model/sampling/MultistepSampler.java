package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An explicit multistep method on the sigma grid: one model call per step, then
 * {@code x += sum_j c_j d_{i-j}} over the newest {@code min(i+1, maxOrder)} slopes
 * {@code d = (x - denoised)/sigma}, newest first (so the first steps ramp up from Euler). The
 * subclass says how the weights {@code c_j} follow from the grid. A step to sigma 0 returns the
 * denoised as it is, as ComfyUI's versions do.
 */
abstract class MultistepSampler extends Sampler {
    private final int maxOrder;

    MultistepSampler(int maxOrder) {
        if (maxOrder < 1 || maxOrder > 4) {
            throw new IllegalArgumentException("order must be between 1 and 4, found " + maxOrder);
        }
        this.maxOrder = maxOrder;
    }

    /** The weight of slope {@code d_{i-j}} in step i when {@code order} slopes are used. */
    abstract double coefficient(int order, double[] sigmas, int i, int j);

    @Override
    protected final Stepper start(Denoiser denoiser, double[] sigmas, SamplingRun run) {
        return new Stepper() {
            /** The latest slopes, newest first; they outlive their step in the run's manager. */
            private final Deque<NDArray> slopes = new ArrayDeque<>();

            @Override
            public NDArray step(int i, NDArray x, NDManager step, StepReport report) {
                NDArray denoised = denoiser.denoise(x, sigmas[i]);
                report.denoised(denoised);
                slopes.addFirst(derivative(x, denoised, sigmas[i]));
                if (slopes.size() > maxOrder) {
                    slopes.removeLast().attach(step); // closed with this step
                }
                if (sigmas[i + 1] == 0) {
                    // ComfyUI's lms and ipndm end with a denoising step (k-diffusion's lms would
                    // integrate on to sigma 0, a different result).
                    slopes.peekFirst().attach(run.manager());
                    return denoised;
                }
                int order = Math.min(i + 1, maxOrder);
                NDArray next = x;
                int j = 0;
                for (NDArray d : slopes) {
                    NDArray term = d.mul(coefficient(order, sigmas, i, j));
                    term.attach(step); // older slopes live in the run's manager, and so would this
                    next = next.add(term);
                    j++;
                }
                slopes.peekFirst().attach(run.manager());
                return next;
            }

            @Override
            public void finish() {
                slopes.forEach(NDArray::close);
                slopes.clear();
            }
        };
    }
}
