package dev.bakehouse.lora.format;

/**
 * The dense products that rebuild a weight difference from its factors. Row-major float arrays,
 * double accumulation. Pure functions; the callers check shapes.
 */
final class LoraMath {
    private LoraMath() {}

    /** {@code a (m x k) @ b (k x n)}. */
    static float[] matmul(float[] a, float[] b, int m, int k, int n) {
        double[] acc = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double aip = a[i * k + p];
                if (aip == 0) {
                    continue;
                }
                int row = i * n;
                int brow = p * n;
                for (int j = 0; j < n; j++) {
                    acc[row + j] += aip * b[brow + j];
                }
            }
        }
        return toFloats(acc);
    }

    /**
     * Tucker rebuild {@code out[p, r, s] = Σ_i Σ_j core[i, j, s] · a[i, p] · b[j, r]}: core is
     * (I x J x S) with S the flattened kernel, a is (I x P), b is (J x R); the result is (P x R x S).
     */
    static float[] tucker(float[] core, float[] a, float[] b, int ci, int cj, int s, int p, int r) {
        double[] tmp = new double[ci * r * s]; // tmp[i, r, s] = Σ_j core[i, j, s] b[j, r]
        for (int i = 0; i < ci; i++) {
            for (int j = 0; j < cj; j++) {
                for (int rr = 0; rr < r; rr++) {
                    double bjr = b[j * r + rr];
                    for (int ss = 0; ss < s; ss++) {
                        tmp[(i * r + rr) * s + ss] += core[(i * cj + j) * s + ss] * bjr;
                    }
                }
            }
        }
        double[] out = new double[p * r * s];
        for (int i = 0; i < ci; i++) {
            for (int pp = 0; pp < p; pp++) {
                double aip = a[i * p + pp];
                for (int k = 0; k < r * s; k++) {
                    out[pp * r * s + k] += aip * tmp[i * r * s + k];
                }
            }
        }
        return toFloats(out);
    }

    /**
     * Kronecker product of {@code w1 (a x b)} and {@code w2 (c x d x s)} over the first two axes,
     * broadcast over the flattened kernel s: the result is (a·c x b·d x s).
     */
    static float[] kron(float[] w1, int a, int b, float[] w2, int c, int d, int s) {
        float[] out = new float[a * c * b * d * s];
        int cols = b * d;
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                float w = w1[i * b + j];
                for (int k1 = 0; k1 < c; k1++) {
                    for (int k2 = 0; k2 < d; k2++) {
                        int dst = ((i * c + k1) * cols + (j * d + k2)) * s;
                        int src = (k1 * d + k2) * s;
                        for (int ss = 0; ss < s; ss++) {
                            out[dst + ss] = w * w2[src + ss];
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Elementwise product, in place into {@code a}. */
    static float[] hadamard(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] *= b[i];
        }
        return a;
    }

    static float[] scale(float[] a, double s) {
        if (s != 1.0) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (a[i] * s);
            }
        }
        return a;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
