package dev.bakehouse.tensor;

import java.util.Arrays;

/** Small helpers for tensor shapes (PyTorch order, row-major). */
public final class Shapes {
    private Shapes() {}

    /**
     * Product of the dimensions; 1 for an empty shape.
     *
     * @throws ArithmeticException on a negative dimension or a product beyond {@code long}
     */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new ArithmeticException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public static String format(long[] shape) {
        return Arrays.toString(shape);
    }
}
