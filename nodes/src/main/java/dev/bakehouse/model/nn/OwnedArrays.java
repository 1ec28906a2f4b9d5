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

    public static NDArray of(NDManager manager, float[] values) {
        return of(manager, values, new Shape(values.length));
    }
}
