package dev.bakehouse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.train.noise.TrainingDraws;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Replays a fixture's recorded random draws in the order they are asked for; a request of the
 * wrong kind or shape fails the test, so the draw order of kohya is checked too.
 */
public final class RecordedDraws implements TrainingDraws {
    private sealed interface Draw permits Normal, Uniform, PythonRandom, Integers {}

    private record Normal(float[] values, Shape shape) implements Draw {}

    private record Uniform(double value) implements Draw {}

    private record PythonRandom(double value) implements Draw {}

    private record Integers(long[] values) implements Draw {}

    private final Deque<Draw> queue = new ArrayDeque<>();

    public RecordedDraws normal(float[] values, Shape shape) {
        queue.add(new Normal(values, shape));
        return this;
    }

    public RecordedDraws uniform(double value) {
        queue.add(new Uniform(value));
        return this;
    }

    public RecordedDraws pythonRandom(double value) {
        queue.add(new PythonRandom(value));
        return this;
    }

    public RecordedDraws integers(long... values) {
        queue.add(new Integers(values));
        return this;
    }

    /** Every recorded draw was asked for. */
    public void assertConsumed() {
        assertTrue(queue.isEmpty(), () -> queue.size() + " recorded draw(s) never asked for: " + queue.peek());
    }

    @Override
    public NDArray normal(NDManager manager, Shape shape) {
        Normal next = next(Normal.class, "normal" + shape);
        assertEquals(next.shape(), shape, "shape of the normal draw");
        return manager.create(next.values(), shape);
    }

    @Override
    public double uniform() {
        return next(Uniform.class, "uniform").value();
    }

    @Override
    public double pythonRandom() {
        return next(PythonRandom.class, "pythonRandom").value();
    }

    @Override
    public long[] integers(long low, long high, int count) {
        long[] values = next(Integers.class, "integers").values();
        assertEquals(count, values.length, "count of integer draws");
        for (long v : values) {
            assertTrue(v >= low && v < high, () -> "recorded integer " + v + " outside [" + low + ", " + high + ")");
        }
        return values.clone();
    }

    private <T extends Draw> T next(Class<T> kind, String asked) {
        Draw draw = queue.poll();
        assertTrue(kind.isInstance(draw), () -> "asked for " + asked + " but the next recorded draw is " + draw);
        return kind.cast(draw);
    }
}
