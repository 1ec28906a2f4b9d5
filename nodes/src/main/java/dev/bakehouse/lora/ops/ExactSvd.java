package dev.bakehouse.lora.ops;

import org.ejml.data.DMatrixRMaj;

/** The full SVD of a dense matrix on EJML, truncated afterwards: the reference the faster paths are measured against. */
public final class ExactSvd {
    private ExactSvd() {}

    /** The best rank-{@code k} factorisation of the row-major {@code rows x cols} matrix {@code a}. */
    public static TruncatedSvd of(float[] a, int rows, int cols, int k) {
        if (a.length != (long) rows * cols) {
            throw new IllegalArgumentException("matrix of " + a.length + " values is not " + rows + " x " + cols);
        }
        DMatrixRMaj[] usv = DenseLinalg.svd(DenseLinalg.matrix(a, rows, cols));
        return DenseLinalg.truncated(usv[0], usv[1], usv[2], k, TruncatedSvd.frobeniusSquared(a));
    }
}
