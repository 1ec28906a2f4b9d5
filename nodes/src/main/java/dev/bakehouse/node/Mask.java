package dev.bakehouse.node;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The MASK value: a batch of single-channel masks in [0, 1], laid out B×H×W. As in ComfyUI a
 * loaded image's mask is {@code 1 - alpha} (1 where the image is transparent). Immutable.
 */
public final class Mask {
    private final int batch;
    private final int height;
    private final int width;
    private final float[] values;

    /** @param values B×H×W values, copied */
    public Mask(int batch, int height, int width, float[] values) {
        if (batch <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("mask sizes must be positive, got B×H×W = "
                    + batch + "×" + height + "×" + width);
        }
        if (values.length != (long) batch * height * width) {
            throw new IllegalArgumentException("mask " + batch + "×" + height + "×" + width
                    + " needs " + (long) batch * height * width + " values, got " + values.length);
        }
        this.batch = batch;
        this.height = height;
        this.width = width;
        this.values = values.clone();
    }

    /** An all-zero mask (nothing masked). */
    public static Mask zeros(int batch, int height, int width) {
        return new Mask(batch, height, width, new float[batch * height * width]);
    }

    public int batch() {
        return batch;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The value of mask {@code b} at row {@code y}, column {@code x}. */
    public float get(int b, int y, int x) {
        return values[(b * height + y) * width + x];
    }

    /** All values B×H×W, read-only. */
    public FloatBuffer buffer() {
        return FloatBuffer.wrap(values).asReadOnlyBuffer();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask other && batch == other.batch && height == other.height
                && width == other.width && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values) * 31 + batch * 7 + height * 5 + width;
    }

    @Override
    public String toString() {
        return "Mask[" + batch + "×" + height + "×" + width + "]";
    }
}
