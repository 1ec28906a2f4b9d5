package dev.bakehouse.toy.world;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * What a small diffusion model does to a clean drawing, approximately: Gaussian blur, per-pixel
 * Gaussian noise and a global colour shift (per channel), all seeded.
 */
record Degradation(double blurSigma, double noiseSigma, double maxShift) {
    BufferedImage apply(BufferedImage image, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[][] planes = new float[3][w * h];
        for (int i = 0; i < argb.length; i++) {
            planes[0][i] = (argb[i] >> 16) & 0xFF;
            planes[1][i] = (argb[i] >> 8) & 0xFF;
            planes[2][i] = argb[i] & 0xFF;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] result = new int[w * h];
        for (int c = 0; c < 3; c++) {
            planes[c] = Blur.gaussian(planes[c], w, h, blurSigma);
            double shift = maxShift * (2 * rng.nextDouble() - 1);
            for (int i = 0; i < result.length; i++) {
                double v = planes[c][i] + shift + noiseSigma * gaussian(rng);
                int q = (int) Math.round(Math.max(0, Math.min(255, v)));
                result[i] |= q << (16 - 8 * c);
            }
        }
        out.setRGB(0, 0, w, h, result, 0, w);
        return out;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
