package dev.bakehouse.train.noise;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.model.nn.OwnedArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Draws from one seeded Java generator, independent of libtorch's process-wide generator (which
 * samplers and other threads share), so a run's noise depends only on its seed and the order of
 * the requests. It does not reproduce torch's or Python's streams; no port can.
 */
public final class SeededDraws implements TrainingDraws {
    private final SplittableRandom random;

    public SeededDraws(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public NDArray normal(NDManager manager, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return OwnedArrays.of(manager, values, shape); // the noise is the loss target: autograd reads it
    }

    @Override
    public double uniform() {
        return random.nextDouble();
    }

    @Override
    public double pythonRandom() {
        return random.nextDouble();
    }

    @Override
    public long[] integers(long low, long high, int count) {
        if (low >= high) {
            throw new IllegalArgumentException("integers: empty range [" + low + ", " + high + ")");
        }
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = random.nextLong(low, high);
        }
        return out;
    }
}
