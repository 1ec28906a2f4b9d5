package dev.bakehouse.toy.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.toy.world.SceneKind;
import dev.bakehouse.toy.world.WorldGenerator;
import dev.bakehouse.toy.world.WorldImage;
import java.awt.image.BufferedImage;
import java.util.List;

/** Generated scenes as model input: (B, 3, H, W) in [-1, 1], each image named by its own seed. */
final class ToyImages {
    private ToyImages() {}

    static List<WorldImage> generate(WorldGenerator generator, SceneKind kind, long[] seeds) {
        return java.util.Arrays.stream(seeds).mapToObj(s -> generator.generate(s, kind)).toList();
    }

    /** The images as one batch in {@code manager}, owned by libtorch (autograd may read it). */
    static NDArray batch(NDManager manager, List<WorldImage> images) {
        return batch(manager, images, images.get(0).image().getWidth(), null);
    }

    /**
     * Square crops of side {@code crop}: image i from its pixel (x, y) = {@code corners[2i], corners[2i+1]}
     * (null: all from (0, 0)).
     */
    static NDArray batch(NDManager manager, List<WorldImage> images, int crop, int[] corners) {
        int h = crop;
        int w = crop;
        int plane = h * w;
        float[] values = new float[images.size() * 3 * plane];
        for (int i = 0; i < images.size(); i++) {
            BufferedImage image = images.get(i).image();
            int x0 = corners == null ? 0 : corners[2 * i];
            int y0 = corners == null ? 0 : corners[2 * i + 1];
            if (x0 + w > image.getWidth() || y0 + h > image.getHeight()) {
                throw new IllegalArgumentException("toy images: a " + w + "x" + h + " crop at (" + x0 + ", " + y0
                        + ") does not fit image " + i + " of " + image.getWidth() + "x" + image.getHeight());
            }
            int[] argb = image.getRGB(x0, y0, w, h, null, 0, w);
            int base = i * 3 * plane;
            for (int p = 0; p < plane; p++) {
                values[base + p] = ((argb[p] >> 16) & 0xFF) / 127.5f - 1;
                values[base + plane + p] = ((argb[p] >> 8) & 0xFF) / 127.5f - 1;
                values[base + 2 * plane + p] = (argb[p] & 0xFF) / 127.5f - 1;
            }
        }
        return OwnedArrays.of(manager, values, new Shape(images.size(), 3, h, w));
    }
}
