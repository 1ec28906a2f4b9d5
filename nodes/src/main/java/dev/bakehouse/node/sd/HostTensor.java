package dev.bakehouse.node.sd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * A float32 tensor held in the Java heap: how tensors cross node boundaries. A value kept in the
 * executor's cache then needs no native memory and no close hook (the cache may drop it at any
 * time and the garbage collector frees it), and one value may feed any number of nodes. Native
 * arrays exist only inside a node's run, in a child manager of the model's, and die with it.
 * Immutable: the data is copied in and out.
 */
public final class HostTensor {
    private final long[] shape;
    private final float[] data;

    /**
     * @throws IllegalArgumentException if the shape's element count is not {@code data.length}
     */
    public HostTensor(long[] shape, float[] data) {
        long size = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
                    + " values, found " + data.length);
        }
        this.shape = shape.clone();
        this.data = data.clone();
    }

    /** Zeros of the given shape. */
    public static HostTensor zeros(long... shape) {
        return new HostTensor(shape, new float[Math.toIntExact(new Shape(shape).size())]);
    }

    /** A copy of a native array's values (any float type, read as float32). */
    public static HostTensor of(NDArray array) {
        float[] values = array.getDataType() == DataType.FLOAT32
                ? array.toFloatArray() : array.toType(DataType.FLOAT32, false).toFloatArray();
        return new HostTensor(array.getShape().getShape(), values);
    }

    /** The values as a new float32 array in {@code manager} (on its device). */
    public NDArray toNDArray(NDManager manager) {
        return manager.create(data, new Shape(shape));
    }

    public Shape shape() {
        return new Shape(shape);
    }

    /** Size of dimension {@code axis}. */
    public long dim(int axis) {
        return shape[axis];
    }

    public int rank() {
        return shape.length;
    }

    /** A copy of the values, row-major. */
    public float[] toFloatArray() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensor other && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "HostTensor" + Arrays.toString(shape);
    }
}
