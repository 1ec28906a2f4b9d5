package dev.bakehouse.tensor;

import java.util.Arrays;

/**
 * Where one tensor lives in a file: its key, element type, shape (PyTorch order, row-major) and its
 * bytes as an absolute file offset and a length. The offset is -1 when the bytes are not one range
 * of a file (a strided or compressed {@code .ckpt} tensor, a derived view). A 0-dim tensor (a kohya
 * {@code .alpha}) has an empty shape and one element.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long offset, long byteLength) {

    public TensorInfo {
        shape = shape.clone();
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** One dimension, without copying the shape. */
    public long dim(int axis) {
        return shape[axis];
    }

    /** Number of elements (1 for a 0-dim tensor). */
    public long numel() {
        return Shapes.numel(shape);
    }

    public boolean hasShape(long... expected) {
        return Arrays.equals(shape, expected);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && offset == t.offset && byteLength == t.byteLength;
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @" + offset + "+" + byteLength;
    }
}
