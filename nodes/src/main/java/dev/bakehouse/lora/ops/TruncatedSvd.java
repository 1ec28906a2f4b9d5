package dev.bakehouse.lora.ops;

/**
 * A rank-k factorisation {@code A ≈ U · diag(S) · Vᵀ} of a {@code rows x cols} matrix, singular
 * values descending, with the squared Frobenius norm of A itself so that the kept energy
 * (Eckart–Young: the best rank-k approximation keeps Σ s_i² of ‖A‖²) can be reported.
 *
 * @param u                 rows x k, row-major, orthonormal columns
 * @param s                 k singular values, descending
 * @param vt                k x cols, row-major, orthonormal rows
 * @param frobeniusSquared  ‖A‖_F² of the factorised matrix
 */
public record TruncatedSvd(int rows, int cols, float[] u, float[] s, float[] vt, double frobeniusSquared) {

    public TruncatedSvd {
        if (u.length != (long) rows * s.length || vt.length != (long) s.length * cols) {
            throw new IllegalArgumentException("SVD factors do not match " + rows + " x " + cols + " at rank " + s.length);
        }
    }

    public int rank() {
        return s.length;
    }

    /** Σ s_i² / ‖A‖²: the share of A's energy the factors keep (1 for a zero matrix). */
    public double keptEnergy() {
        if (frobeniusSquared <= 0) {
            return 1.0;
        }
        double kept = 0;
        for (float v : s) {
            kept += (double) v * v;
        }
        return Math.min(1.0, kept / frobeniusSquared);
    }

    /** The leading {@code k} components (all of them when k is larger). */
    public TruncatedSvd truncate(int k) {
        if (k >= s.length) {
            return this;
        }
        float[] u2 = new float[rows * k];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(u, i * s.length, u2, i * k, k);
        }
        float[] s2 = java.util.Arrays.copyOf(s, k);
        float[] vt2 = java.util.Arrays.copyOf(vt, k * cols);
        return new TruncatedSvd(rows, cols, u2, s2, vt2, frobeniusSquared);
    }

    /** The rank-k factorisation of a zero matrix: all singular values 0. */
    public static TruncatedSvd zero(int rows, int cols, int k) {
        k = Math.min(k, Math.min(rows, cols));
        return new TruncatedSvd(rows, cols, new float[rows * k], new float[k], new float[k * cols], 0);
    }

    /** ‖A‖_F² of a row-major matrix, accumulated in double. */
    public static double frobeniusSquared(float[] a) {
        double sum = 0;
        for (float v : a) {
            sum += (double) v * v;
        }
        return sum;
    }
}
