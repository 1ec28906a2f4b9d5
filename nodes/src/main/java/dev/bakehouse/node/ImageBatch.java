package dev.bakehouse.node;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The IMAGE value: a batch of images as floats in [0, 1], laid out B×H×W×C (batch, row, column,
 * channel; C is 3 for RGB), like ComfyUI's image tensors. Plain Java arrays, so the server side
 * never needs DJL. Immutable: the pixels are copied in and only handed out read-only or copied.
 */
public final class ImageBatch {
    private final int batch;
    private final int height;
    private final int width;
    private final int channels;
    private final float[] pixels;

    /**
     * @param pixels B×H×W×C values, copied
     * @throws IllegalArgumentException if a size is not positive or the array length disagrees
     */
    public ImageBatch(int batch, int height, int width, int channels, float[] pixels) {
        if (batch <= 0 || height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image batch sizes must be positive, got B×H×W×C = "
                    + batch + "×" + height + "×" + width + "×" + channels);
        }
        long expected = (long) batch * height * width * channels;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("image batch " + batch + "×" + height + "×" + width
                    + "×" + channels + " needs " + expected + " values, got " + pixels.length);
        }
        this.batch = batch;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.pixels = pixels.clone();
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

    public int channels() {
        return channels;
    }

    /** One value: image {@code b}, row {@code y}, column {@code x}, channel {@code c}. */
    public float get(int b, int y, int x, int c) {
        return pixels[((b * height + y) * width + x) * channels + c];
    }

    /** All values B×H×W×C, read-only (e.g. for {@code NDManager.create(FloatBuffer, Shape)}). */
    public FloatBuffer buffer() {
        return FloatBuffer.wrap(pixels).asReadOnlyBuffer();
    }

    /** A copy of all values B×H×W×C. */
    public float[] toArray() {
        return pixels.clone();
    }

    /** Image {@code b} alone, as a batch of one. */
    public ImageBatch image(int b) {
        int size = height * width * channels;
        return new ImageBatch(1, height, width, channels,
                Arrays.copyOfRange(pixels, b * size, (b + 1) * size));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageBatch other && batch == other.batch && height == other.height
                && width == other.width && channels == other.channels
                && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pixels) * 31 + batch * 7 + height * 5 + width * 3 + channels;
    }

    @Override
    public String toString() {
        return "ImageBatch[" + batch + "×" + height + "×" + width + "×" + channels + "]";
    }
}
