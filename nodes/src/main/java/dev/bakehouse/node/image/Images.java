package dev.bakehouse.node.image;

import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.Mask;
import java.awt.image.BufferedImage;
import java.util.List;

/** Conversions between {@link ImageBatch}/{@link Mask} and 8-bit {@link BufferedImage}s. */
public final class Images {
    private Images() {}

    /**
     * Image {@code b} of a batch as 8-bit pixels: {@code (int) clamp(v * 255, 0, 255)}, truncating
     * as ComfyUI does. One channel gives grey, three RGB, four RGBA.
     */
    public static BufferedImage toBufferedImage(ImageBatch batch, int b) {
        int channels = batch.channels();
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new IllegalArgumentException("cannot save an image with " + channels
                    + " channels (expected 1, 3 or 4)");
        }
        int type = channels == 4 ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        BufferedImage image = new BufferedImage(batch.width(), batch.height(), type);
        for (int y = 0; y < batch.height(); y++) {
            for (int x = 0; x < batch.width(); x++) {
                int r = toByte(batch.get(b, y, x, 0));
                int g = channels == 1 ? r : toByte(batch.get(b, y, x, 1));
                int bl = channels == 1 ? r : toByte(batch.get(b, y, x, 2));
                int a = channels == 4 ? toByte(batch.get(b, y, x, 3)) : 255;
                image.setRGB(x, y, (a << 24) | (r << 16) | (g << 8) | bl);
            }
        }
        return image;
    }

    /**
     * Same-sized images as one RGB batch with values {@code byte / 255}.
     *
     * @throws IllegalArgumentException if the list is empty or the sizes differ
     */
    public static ImageBatch toBatch(List<BufferedImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to batch");
        }
        int width = images.get(0).getWidth();
        int height = images.get(0).getHeight();
        float[] pixels = new float[images.size() * height * width * 3];
        int i = 0;
        for (BufferedImage image : images) {
            if (image.getWidth() != width || image.getHeight() != height) {
                throw new IllegalArgumentException("images of a batch must share one size: "
                        + width + "x" + height + " vs " + image.getWidth() + "x" + image.getHeight());
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int argb = image.getRGB(x, y);
                    pixels[i++] = ((argb >> 16) & 0xff) / 255f;
                    pixels[i++] = ((argb >> 8) & 0xff) / 255f;
                    pixels[i++] = (argb & 0xff) / 255f;
                }
            }
        }
        return new ImageBatch(images.size(), height, width, 3, pixels);
    }

    /** {@code 1 - alpha} of each image (1 where transparent), ComfyUI's mask of a loaded image. */
    public static Mask inverseAlpha(List<BufferedImage> images) {
        int width = images.get(0).getWidth();
        int height = images.get(0).getHeight();
        float[] values = new float[images.size() * height * width];
        int i = 0;
        for (BufferedImage image : images) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    values[i++] = 1f - ((image.getRGB(x, y) >>> 24) / 255f);
                }
            }
        }
        return new Mask(images.size(), height, width, values);
    }

    private static int toByte(float v) {
        return (int) Math.max(0f, Math.min(255f, v * 255f));
    }
}
