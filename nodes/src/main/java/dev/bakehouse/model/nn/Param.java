package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * One weight of a model, named by its checkpoint key. Layers read {@link #value()} on every
 * forward, so a patcher (LoRA at run time) can swap the array and a later restore puts the very
 * same original array back. {@link #version()} lets caches derived from the weight (fused q/k/v,
 * reshaped norm scales) notice a swap.
 */
public final class Param {
    private final String key;
    private final Shape shape;
    private NDArray value;
    private long version;

    Param(String key, Shape shape) {
        this.key = key;
        this.shape = shape;
    }

    public String key() {
        return key;
    }

    public Shape shape() {
        return shape;
    }

    public boolean isLoaded() {
        return value != null;
    }

    /** The current array; fails if the model's weights were never loaded. */
    public synchronized NDArray value() {
        if (value == null) {
            throw new IllegalStateException("weight " + key + " was never loaded");
        }
        return value;
    }

    /** Replaces the array (same shape); returns the previous one, which the caller now owns. */
    public synchronized NDArray set(NDArray next) {
        Objects.requireNonNull(next, "next");
        if (!next.getShape().equals(shape)) {
            throw new IllegalArgumentException(
                    "weight " + key + ": expected shape " + shape + ", got " + next.getShape());
        }
        NDArray previous = value;
        value = next;
        version++;
        return previous;
    }

    public synchronized long version() {
        return version;
    }

    @Override
    public String toString() {
        return key + " " + shape;
    }
}
