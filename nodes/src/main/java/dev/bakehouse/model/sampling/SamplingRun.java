package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDManager;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What one sampling run needs besides the model and sigmas.
 *
 * @param manager where the result (and state kept between steps) lives; every step runs in a
 *     child of it that is closed at the end of the step
 * @param listener told after each step
 * @param interrupted polled before each step; true stops the run with
 *     {@link SamplingInterruptedException}
 * @param noise per-step noise for ancestral samplers
 */
public record SamplingRun(NDManager manager, StepListener listener, BooleanSupplier interrupted, NoiseSource noise) {
    public SamplingRun {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(interrupted, "interrupted");
        Objects.requireNonNull(noise, "noise");
    }

    /** No listener, never interrupted, ComfyUI's ancestral noise for {@code seed}. */
    public static SamplingRun of(NDManager manager, Seed seed) {
        return new SamplingRun(manager, StepListener.none(), () -> false, TorchNoise.ancestral(seed));
    }
}
