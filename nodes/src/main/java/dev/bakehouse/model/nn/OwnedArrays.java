package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Arrays made from Java values that libtorch owns. {@code NDManager.create(float[])} wraps a
 * direct buffer without copying; autograd may read such an array during backward (a loss weight,
 * a huber threshold saved by a multiplication) after the garbage collector has freed the buffer,
 * which shows as NaN gradients once in a while. A copy made at once is libtorch's own memory.
 */
public final class OwnedArrays {
    private OwnedArrays() {}

    public static NDArray of(NDManager manager, float[] values, Shape shape) {
        try (NDArray wrapped = manager.create(values, shape)) {
            return wrapped.duplicate();
        }
    }

    /** Token ids and other int64 data (an embedding's backward reads its indices again). */
    public static NDArray of(NDManager manager, long[] values, Shape shape) {
        try (NDArray wrapped = manager.create(values, shape)) {
            return wrapped.duplicate();
        }
    }

    /** A 0-dim libtorch-owned scalar. */
    public static NDArray scalar(NDManager manager, float value) {
        return of(manager, new float[] {value}, new Shape());
    }

    /**
     * {@code x * value} safe under autograd. DJL's {@code mul(Number)} makes the scalar from a Java
     * buffer and closes it at once, but backward reads that scalar again (d(x·c)/dx = c): once the
     * buffer is collected, gradients come out as garbage or NaN. This scalar is libtorch's own.
     */
    public static NDArray times(NDArray x, float value) {
        try (NDArray c = scalar(x.getManager(), value)) {
            return x.mul(c);
        }
    }

    public static NDArray of(NDManager manager, float[] values) {
        return of(manager, values, new Shape(values.length));
    }
}
