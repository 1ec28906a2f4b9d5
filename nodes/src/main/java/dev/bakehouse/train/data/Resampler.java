package dev.bakehouse.train.data;

/**
 * Separable resampling of planar float images, the two filters kohya's {@code resize_image}
 * uses by default: a box filter over the covered source area when shrinking (cv2
 * {@code INTER_AREA}) and Lanczos-3 when enlarging (PIL {@code LANCZOS}). Written here because
 * the JDK offers neither.
 */
final class Resampler {
    private Resampler() {}

    /** Resizes {@code c} planes of {@code w×h} to {@code nw×nh}. */
    static float[] resize(float[] src, int c, int w, int h, int nw, int nh, BucketAssignment.Interpolation kind) {
        float[] horizontal = new float[c * h * nw];
        axis(src, horizontal, c * h, w, nw, kind);
        float[] out = new float[c * nh * nw];
        for (int ch = 0; ch < c; ch++) {
            float[] plane = new float[h * nw];
            System.arraycopy(horizontal, ch * h * nw, plane, 0, h * nw);
            float[] col = new float[nh * nw];
            // rows of a column are nw apart
            axisStrided(plane, col, nw, h, nh, kind);
            System.arraycopy(col, 0, out, ch * nh * nw, nh * nw);
        }
        return out;
    }

    private static void axis(float[] src, float[] dst, int lines, int n, int nn,
            BucketAssignment.Interpolation kind) {
        double[][] weights = new double[nn][];
        int[] first = new int[nn];
        weights(n, nn, kind, weights, first);
        for (int l = 0; l < lines; l++) {
            for (int i = 0; i < nn; i++) {
                double s = 0;
                for (int k = 0; k < weights[i].length; k++) {
                    s += weights[i][k] * src[l * n + first[i] + k];
                }
                dst[l * nn + i] = (float) s;
            }
        }
    }

    private static void axisStrided(float[] src, float[] dst, int width, int n, int nn, BucketAssignment.Interpolation kind) {
        double[][] weights = new double[nn][];
        int[] first = new int[nn];
        weights(n, nn, kind, weights, first);
        for (int i = 0; i < nn; i++) {
            for (int x = 0; x < width; x++) {
                double s = 0;
                for (int k = 0; k < weights[i].length; k++) {
                    s += weights[i][k] * src[(first[i] + k) * width + x];
                }
                dst[i * width + x] = (float) s;
            }
        }
    }

    /** Normalised filter taps of each output sample (PIL's scheme: support widened when shrinking). */
    private static void weights(int n, int nn, BucketAssignment.Interpolation kind, double[][] weights, int[] first) {
        double scale = (double) n / nn;
        boolean box = kind == BucketAssignment.Interpolation.AREA;
        double support = box ? 0.5 : 3.0;
        double filterScale = Math.max(1.0, scale);
        double reach = support * filterScale;
        for (int i = 0; i < nn; i++) {
            double center = (i + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(center - reach));
            int hi = Math.min(n, (int) Math.ceil(center + reach));
            double[] w = new double[hi - lo];
            double sum = 0;
            for (int j = lo; j < hi; j++) {
                double x = (j + 0.5 - center) / filterScale;
                double v = box ? boxOverlap(x) : lanczos3(x);
                w[j - lo] = v;
                sum += v;
            }
            for (int k = 0; k < w.length; k++) {
                w[k] = sum == 0 ? 0 : w[k] / sum;
            }
            weights[i] = w;
            first[i] = lo;
        }
    }

    private static double boxOverlap(double x) {
        return Math.max(0, Math.min(x + 0.5, 0.5) - Math.max(x - 0.5, -0.5));
    }

    private static double lanczos3(double x) {
        if (x == 0) {
            return 1;
        }
        if (Math.abs(x) >= 3) {
            return 0;
        }
        double px = Math.PI * x;
        return 3 * Math.sin(px) * Math.sin(px / 3) / (px * px);
    }
}
