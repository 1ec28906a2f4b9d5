package dev.bakehouse.lora.ops;

import org.ejml.data.DMatrixRMaj;

/**
 * The exact SVD of a product of thin factors {@code L (m x r) · R (r x n)} without forming the
 * m x n matrix: {@code L = Q₁R₁}, {@code Rᵀ = Q₂R₂}, then the SVD of the small {@code R₁R₂ᵀ}
 * rotates both bases. Every LoRA ΔW is such a product (up · down, or the side-by-side factors of
 * several LoRAs), so resizing and merging LoRAs cost O((m + n)·r²) instead of a full SVD.
 */
public final class ProductSvd {
    private ProductSvd() {}

    /** All min(m, n, r) components; truncate the result for a smaller rank. */
    public static TruncatedSvd of(float[] left, float[] right, int m, int r, int n) {
        if (left.length != (long) m * r || right.length != (long) r * n) {
            throw new IllegalArgumentException("factors " + left.length + " and " + right.length + " values do not form "
                    + m + " x " + r + " · " + r + " x " + n);
        }
        DMatrixRMaj[] ql = DenseLinalg.qr(DenseLinalg.matrix(left, m, r));
        DMatrixRMaj[] qr = DenseLinalg.qr(DenseLinalg.transpose(DenseLinalg.matrix(right, r, n)));
        DMatrixRMaj core = DenseLinalg.multTransB(ql[1], qr[1]);
        DMatrixRMaj[] usv = DenseLinalg.svd(core);
        DMatrixRMaj u = DenseLinalg.mult(ql[0], usv[0]);
        DMatrixRMaj vt = DenseLinalg.multTransB(usv[2], qr[0]);
        double energy = 0;
        for (double s : usv[1].data) {
            energy += s * s;
        }
        return DenseLinalg.truncated(u, usv[1], vt, usv[1].numCols, energy);
    }
}
