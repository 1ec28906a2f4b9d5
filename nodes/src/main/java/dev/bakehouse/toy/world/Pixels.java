package dev.bakehouse.toy.world;

import java.awt.image.BufferedImage;

/** An image as float RGB planes (0..255), lightly smoothed so pixel noise does not split regions. */
final class Pixels {
    final int width;
    final int height;
    final float[] red;
    final float[] green;
    final float[] blue;

    private Pixels(int width, int height, float[] red, float[] green, float[] blue) {
        this.width = width;
        this.height = height;
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    /** The image after a 3×3 box filter (edges clamped): cuts per-pixel noise by 3×, blurs edges by a pixel. */
    static Pixels smoothed(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] r = new float[w * h];
        float[] g = new float[w * h];
        float[] b = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sr = 0;
                float sg = 0;
                float sb = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = Math.min(h - 1, Math.max(0, y + dy));
                    for (int dx = -1; dx <= 1; dx++) {
                        int p = argb[yy * w + Math.min(w - 1, Math.max(0, x + dx))];
                        sr += (p >> 16) & 0xFF;
                        sg += (p >> 8) & 0xFF;
                        sb += p & 0xFF;
                    }
                }
                r[y * w + x] = sr / 9;
                g[y * w + x] = sg / 9;
                b[y * w + x] = sb / 9;
            }
        }
        return new Pixels(w, h, r, g, b);
    }

    int size() {
        return width * height;
    }

    /** Squared distance of pixel i from colour c. */
    double distance2(int i, double[] c) {
        double dr = red[i] - c[0];
        double dg = green[i] - c[1];
        double db = blue[i] - c[2];
        return dr * dr + dg * dg + db * db;
    }

    /**
     * Pixel i as a mix of colours {@code from} and {@code to}: writes into {@code out} the mixing
     * weight t of {@code to} (clamped to 0..1) and the distance from the mix line.
     */
    void unmix(int i, double[] from, double[] to, double[] out) {
        double vr = to[0] - from[0];
        double vg = to[1] - from[1];
        double vb = to[2] - from[2];
        double pr = red[i] - from[0];
        double pg = green[i] - from[1];
        double pb = blue[i] - from[2];
        double t = (pr * vr + pg * vg + pb * vb) / (vr * vr + vg * vg + vb * vb);
        t = Math.max(0, Math.min(1, t));
        double er = pr - t * vr;
        double eg = pg - t * vg;
        double eb = pb - t * vb;
        out[0] = t;
        out[1] = Math.sqrt(er * er + eg * eg + eb * eb);
    }

    static double[] rgbOf(WorldColor c) {
        return new double[] {c.red(), c.green(), c.blue()};
    }
}
