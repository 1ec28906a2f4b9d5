package dev.bakehouse.model.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A random generator that remembers what it returned, so a recomputed segment draws the same
 * dropout masks again ({@link ReplayableState}). Only the draw methods the dropouts use are logged
 * (each draw as its raw bits); the log lives as long as this generator, one training micro-step.
 */
public final class ReplayableRandom implements RandomGenerator, ReplayableState {
    private final RandomGenerator source;
    private long[] log = new long[64];
    private int size;
    private int cursor;

    public ReplayableRandom(RandomGenerator source) {
        this.source = source;
    }

    @Override
    public long nextLong() {
        return next(source::nextLong);
    }

    @Override
    public int nextInt() {
        return (int) next(source::nextInt);
    }

    @Override
    public float nextFloat() {
        return Float.intBitsToFloat((int) next(() -> Float.floatToRawIntBits(source.nextFloat())));
    }

    @Override
    public double nextDouble() {
        return Double.longBitsToDouble(next(() -> Double.doubleToRawLongBits(source.nextDouble())));
    }

    @Override
    public long position() {
        return cursor;
    }

    @Override
    public void replayFrom(long position) {
        if (position < 0 || position > size) {
            throw new IllegalArgumentException("replay position " + position + " outside the " + size + " draws made");
        }
        cursor = (int) position;
    }

    private long next(java.util.function.LongSupplier fresh) {
        if (cursor < size) {
            return log[cursor++];
        }
        if (size == log.length) {
            log = Arrays.copyOf(log, Math.multiplyExact(size, 2));
        }
        log[size++] = fresh.getAsLong();
        cursor = size;
        return log[size - 1];
    }
}
