package dev.bakehouse.train.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * kohya's masked loss ({@code --masked_loss} with {@code --conditioning_data_dir}, or
 * {@code --alpha_mask}): a weight in [0, 1] per pixel, taken from the image's alpha channel
 * ({@code alpha / 255}; 1 everywhere for an image without alpha) or from the red channel of a
 * mask image of the same name in the mask folder ({@code R / 255}, which is kohya's
 * {@code conditioning_image / 2 + 0.5}). The mask follows the image through the same resize, crop
 * and flip, then is reduced to the latent size with kohya's {@code interpolate(mode="area")} (the
 * mean of each 8×8 block) and multiplies the per-element loss before its mean
 * ({@code apply_masked_loss}).
 *
 * <p>Unlike kohya, a mask whose size differs from its image is resized to the image first rather
 * than refused. In the folder form the mask of {@code train/5_kiki/img_01.png} is
 * {@code <dir>/5_kiki/img_01.*} when that sub-folder exists in the mask folder, else
 * {@code <dir>/img_01.*}. Masks of center-cropped samples (every sample when latents are
 * cached) are computed once and kept for the run.
 */
public final class LossMasks {
    /** Where masks come from. */
    public enum Source { ALPHA_CHANNEL, MASK_FOLDER }

    private final Source source;
    private final Path folder;
    private final Map<String, float[]> fixedCrops = new HashMap<>();

    private LossMasks(Source source, Path folder) {
        this.source = source;
        this.folder = folder;
    }

    /** {@code --alpha_mask}: each image's own alpha channel. */
    public static LossMasks alphaChannel() {
        return new LossMasks(Source.ALPHA_CHANNEL, null);
    }

    /** {@code --masked_loss --conditioning_data_dir DIR}: mask images of the same names in {@code dir}. */
    public static LossMasks maskFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--conditioning_data_dir " + dir + " is not a folder (expected the mask "
                    + "images, one per training image with the same name)");
        }
        return new LossMasks(Source.MASK_FOLDER, dir);
    }

    public Source source() {
        return source;
    }

    /**
     * Checks that every image has a readable mask, before the first step: one error listing every
     * image without a mask and every mask that cannot be read.
     */
    public void check(List<ImageEntry> images) {
        List<String> problems = new ArrayList<>();
        for (ImageEntry image : images) {
            if (source == Source.ALPHA_CHANNEL) {
                continue; // the image itself is read and checked by the dataset
            }
            Path mask = maskFile(image);
            if (mask == null) {
                problems.add(image.path() + ": no mask named " + baseName(image.path()) + ".* in " + folder);
                continue;
            }
            try {
                ImageFiles.read(mask);
            } catch (IOException e) {
                problems.add(mask + ": cannot read the mask of " + image.path() + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("masked loss: " + problems.size() + " image(s) without a usable mask: "
                    + String.join("; ", problems));
        }
    }

    /**
     * The (latentHeight × latentWidth) mask of an image cropped at {@code cropLeftTop} inside its
     * resized size and flipped or not, as {@link ImageTransform} transformed the image.
     */
    public float[] latentMask(ImageEntry image, Size cropLeftTop, boolean flipped, int latentHeight, int latentWidth)
            throws IOException {
        BucketAssignment a = image.bucket();
        boolean fixed = cropLeftTop.equals(a.centerCropLeftTop());
        String key = image.path() + (flipped ? "|flip" : "") + "|" + a.bucket();
        if (fixed && fixedCrops.containsKey(key)) {
            return fixedCrops.get(key);
        }
        float[] pixels = bucketMask(image, cropLeftTop, flipped);
        float[] latent = Resampler.resize(pixels, 1, a.bucket().width(), a.bucket().height(), latentWidth, latentHeight,
                BucketAssignment.Interpolation.AREA);
        if (fixed) {
            fixedCrops.put(key, latent);
        }
        return latent;
    }

    /** The mask at bucket size, in [0, 1]. */
    float[] bucketMask(ImageEntry image, Size cropLeftTop, boolean flipped) throws IOException {
        BucketAssignment a = image.bucket();
        float[] mask = raw(image);
        int w = a.image().width();
        int h = a.image().height();
        if (a.interpolation() != null) {
            mask = Resampler.resize(mask, 1, w, h, a.resized().width(), a.resized().height(), a.interpolation());
            w = a.resized().width();
        }
        int bw = a.bucket().width();
        int bh = a.bucket().height();
        float[] out = new float[bw * bh];
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                int sx = cropLeftTop.width() + (flipped ? bw - 1 - x : x);
                // Lanczos overshoots at hard edges: a weight stays in [0, 1]
                out[y * bw + x] = Math.max(0f, Math.min(1f, mask[(cropLeftTop.height() + y) * w + sx]));
            }
        }
        return out;
    }

    /** The mask at the image's own size. */
    private float[] raw(ImageEntry image) throws IOException {
        Size size = image.bucket().image();
        if (source == Source.ALPHA_CHANNEL) {
            return alpha(ImageFiles.read(image.path()));
        }
        Path file = maskFile(image);
        if (file == null) {
            throw new IOException("no mask named " + baseName(image.path()) + ".* in " + folder + " for " + image.path());
        }
        BufferedImage m;
        try {
            m = ImageFiles.read(file);
        } catch (IOException e) {
            throw new IOException("cannot read the mask " + file + ": " + e.getMessage(), e);
        }
        float[] red = red(m);
        if (m.getWidth() == size.width() && m.getHeight() == size.height()) {
            return red;
        }
        boolean grows = size.width() > m.getWidth() || size.height() > m.getHeight();
        return Resampler.resize(red, 1, m.getWidth(), m.getHeight(), size.width(), size.height(),
                grows ? BucketAssignment.Interpolation.LANCZOS : BucketAssignment.Interpolation.AREA);
    }

    static float[] alpha(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] out = new float[w * h];
        boolean hasAlpha = image.getColorModel().hasAlpha();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = hasAlpha ? (image.getRGB(x, y) >>> 24) / 255f : 1f;
            }
        }
        return out;
    }

    private static float[] red(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = ((image.getRGB(x, y) >> 16) & 0xff) / 255f;
            }
        }
        return out;
    }

    /** The mask image of a training image, or null when there is none. */
    private Path maskFile(ImageEntry image) {
        String base = baseName(image.path());
        Path parent = image.path().getParent();
        if (parent != null && parent.getFileName() != null) {
            Path mirrored = folder.resolve(parent.getFileName().toString());
            if (Files.isDirectory(mirrored)) {
                Path found = find(mirrored, base);
                if (found != null) {
                    return found;
                }
            }
        }
        return find(folder, base);
    }

    private static Path find(Path dir, String base) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return CaptionFiles.hasImageExtension(n) && baseName(p).equals(base);
                    })
                    .sorted()
                    .findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static String baseName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }
}
