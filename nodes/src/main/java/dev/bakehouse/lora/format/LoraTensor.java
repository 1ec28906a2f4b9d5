package dev.bakehouse.lora.format;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.Shapes;
import java.util.Arrays;

/**
 * One tensor of a LoRA file, widened to float (the file's dtype kept for writing back).
 * Values are row-major in PyTorch shape order.
 */
public record LoraTensor(DType dtype, long[] shape, float[] values) {

    public LoraTensor {
        shape = shape.clone();
        if (Shapes.numel(shape) != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + Shapes.numel(shape)
                    + " values, got " + values.length);
        }
    }

    public static LoraTensor scalar(float v) {
        return new LoraTensor(DType.F32, new long[0], new float[] {v});
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int axis) {
        return shape[axis];
    }

    /** Rows = first dimension, columns = the product of the others (how kohya flattens convs). */
    public int rows() {
        return shape.length == 0 ? 1 : Math.toIntExact(shape[0]);
    }

    public int cols() {
        return shape.length == 0 ? 1 : values.length / Math.max(1, rows());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoraTensor t && dtype == t.dtype && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
