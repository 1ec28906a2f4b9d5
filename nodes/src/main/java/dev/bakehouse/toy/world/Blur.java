package dev.bakehouse.toy.world;

/** Separable Gaussian blur of a float plane (edges clamped). */
final class Blur {
    private Blur() {}

    static float[] gaussian(float[] plane, int w, int h, double sigma) {
        if (sigma <= 0) {
            return plane;
        }
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        float sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return pass(pass(plane, w, h, k, 1, 0), w, h, k, 0, 1);
    }

    private static float[] pass(float[] in, int w, int h, float[] k, int sx, int sy) {
        int r = k.length / 2;
        float[] out = new float[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int i = -r; i <= r; i++) {
                    int xx = Math.min(w - 1, Math.max(0, x + i * sx));
                    int yy = Math.min(h - 1, Math.max(0, y + i * sy));
                    s += k[i + r] * in[yy * w + xx];
                }
                out[y * w + x] = s;
            }
        }
        return out;
    }
}
