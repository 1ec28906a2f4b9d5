package dev.bakehouse.train.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The random numbers of one training step, asked for in kohya's order (see {@link TrainingNoise}).
 * kohya mixes torch's generator (normal, uniform, integer draws) with Python's {@code random}
 * (multires noise ratios); each is a separate method here so a recorded stream can be replayed.
 */
public interface TrainingDraws {
    /** {@code torch.randn(shape)}: standard normal float32, in {@code manager}. */
    NDArray normal(NDManager manager, Shape shape);

    /** {@code torch.rand(1)}: uniform in [0, 1). */
    double uniform();

    /** Python's {@code random.random()}: uniform in [0, 1). */
    double pythonRandom();

    /** {@code torch.randint(low, high, (count,))}: uniform integers in [low, high). */
    long[] integers(long low, long high, int count);
}
