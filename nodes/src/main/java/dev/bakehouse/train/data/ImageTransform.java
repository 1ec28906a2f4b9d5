package dev.bakehouse.train.data;

import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * One image to one training tensor as kohya's {@code __getitem__} does: resize to cover the
 * bucket (kohya's default interpolation), crop to it (center, or {@code random_crop}), flip with
 * probability ½ under {@code flip_aug}, {@code color_aug} (kohya's: with p = 0.33 either a hue
 * shift of up to ±8/180 or a gamma in [0.95, 1.05]), then RGB CHW floats in [-1, 1].
 */
public final class ImageTransform {
    private ImageTransform() {}

    /** A transformed image and what was drawn for it. */
    public record Result(float[] chw, Size bucket, Size cropLeftTop, boolean flipped) {}

    public static Result apply(BufferedImage image, BucketAssignment a, Augmentation aug, Random rnd) {
        Size size = new Size(image.getWidth(), image.getHeight());
        if (!size.equals(a.image())) {
            throw new IllegalArgumentException("image is " + size + " but its bucket was chosen for " + a.image());
        }
        float[] rgb = planes(image);
        int w = size.width();
        int h = size.height();
        if (a.interpolation() != null) {
            rgb = Resampler.resize(rgb, 3, w, h, a.resized().width(), a.resized().height(), a.interpolation());
            w = a.resized().width();
            h = a.resized().height();
        }
        Size crop = aug.randomCrop()
                ? new Size(rnd.nextInt(a.randomCropMax().width() + 1), rnd.nextInt(a.randomCropMax().height() + 1))
                : a.centerCropLeftTop();
        int bw = a.bucket().width();
        int bh = a.bucket().height();
        boolean flip = aug.flipAug() && rnd.nextDouble() < 0.5;
        float[] out = new float[3 * bh * bw];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < bh; y++) {
                for (int x = 0; x < bw; x++) {
                    int sx = crop.width() + (flip ? bw - 1 - x : x);
                    out[(c * bh + y) * bw + x] = rgb[(c * h + crop.height() + y) * w + sx];
                }
            }
        }
        if (aug.colorAug()) {
            colorAug(out, rnd);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0f, Math.min(1f, out[i])) * 2f - 1f;
        }
        return new Result(out, a.bucket(), crop, flip);
    }

    /** RGB planes in [0, 1]. */
    static float[] planes(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] out = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                out[y * w + x] = ((argb >> 16) & 0xff) / 255f;
                out[(h + y) * w + x] = ((argb >> 8) & 0xff) / 255f;
                out[(2 * h + y) * w + x] = (argb & 0xff) / 255f;
            }
        }
        return out;
    }

    private static void colorAug(float[] chw, Random rnd) {
        if (rnd.nextDouble() > 0.33) {
            return;
        }
        int n = chw.length / 3;
        if (rnd.nextDouble() > 0.5) {
            double shift = (rnd.nextDouble() * 16 - 8) / 180.0;
            float[] hsb = new float[3];
            for (int i = 0; i < n; i++) {
                java.awt.Color.RGBtoHSB(Math.round(chw[i] * 255), Math.round(chw[n + i] * 255),
                        Math.round(chw[2 * n + i] * 255), hsb);
                int rgb = java.awt.Color.HSBtoRGB((float) ((hsb[0] + shift + 1) % 1), hsb[1], hsb[2]);
                chw[i] = ((rgb >> 16) & 0xff) / 255f;
                chw[n + i] = ((rgb >> 8) & 0xff) / 255f;
                chw[2 * n + i] = (rgb & 0xff) / 255f;
            }
        } else {
            double gamma = 0.95 + rnd.nextDouble() * 0.1;
            // kohya applies the gamma to 0..255 values: (255 v)^g / 255
            for (int i = 0; i < chw.length; i++) {
                chw[i] = (float) (Math.pow(chw[i] * 255.0, gamma) / 255.0);
            }
        }
    }
}
