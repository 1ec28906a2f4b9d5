package dev.bakehouse.lora.ops;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The small exact factorisations (QR, SVD) behind every low-rank operation here, on EJML in
 * double precision: DJL has no QR or SVD (DJL-NOTES), and these matrices are either thin
 * (rows x a hundred or so) or small, so a Java library is fast enough and keeps the rounding
 * of the subspace steps below float's.
 */
final class DenseLinalg {
    private DenseLinalg() {}

    static DMatrixRMaj matrix(float[] a, int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        double[] d = m.data;
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i];
        }
        return m;
    }

    static float[] floats(DMatrixRMaj m) {
        float[] out = new float[m.getNumElements()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) m.data[i];
        }
        return out;
    }

    /** An orthonormal basis (rows x min(rows, cols)) of the column space of a tall matrix. */
    static DMatrixRMaj orthonormalColumns(DMatrixRMaj y) {
        return qr(y)[0];
    }

    /**
     * A thin factorisation {@code y = Q·R} with orthonormal Q: Householder QR, or, where EJML's
     * Householder step refuses a column that is exactly zero (a LoRA at ratio 0, an unchanged
     * layer), the SVD {@code y = U·(S·Vt)}, which takes rank-deficient input in its stride.
     */
    static DMatrixRMaj[] qr(DMatrixRMaj y) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(y.numRows, y.numCols);
        if (qr.decompose(y.copy())) {
            return new DMatrixRMaj[] {qr.getQ(null, true), qr.getR(null, true)};
        }
        DMatrixRMaj[] usv = svd(y);
        DMatrixRMaj r = usv[2].copy();
        for (int i = 0; i < r.numRows; i++) {
            for (int j = 0; j < r.numCols; j++) {
                r.set(i, j, r.get(i, j) * usv[1].data[i]);
            }
        }
        return new DMatrixRMaj[] {usv[0], r};
    }

    /** Compact SVD {@code a = U diag(S) Vt}, singular values descending: {U, S (as 1 x k), Vt}. */
    static DMatrixRMaj[] svd(DMatrixRMaj a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.numRows, a.numCols, true, true, true);
        if (!svd.decompose(a.copy())) {
            throw new ArithmeticException("SVD did not converge on a " + a.numRows + " x " + a.numCols + " matrix");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj vt = svd.getV(null, true);
        SingularOps_DDRM.descendingOrder(u, false, w, vt, true);
        int k = Math.min(w.numRows, w.numCols);
        DMatrixRMaj s = new DMatrixRMaj(1, k);
        for (int i = 0; i < k; i++) {
            s.data[i] = w.get(i, i);
        }
        return new DMatrixRMaj[] {u, s, vt};
    }

    static DMatrixRMaj mult(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numRows, b.numCols);
        CommonOps_DDRM.mult(a, b, c);
        return c;
    }

    static DMatrixRMaj multTransB(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numRows, b.numRows);
        CommonOps_DDRM.multTransB(a, b, c);
        return c;
    }

    static DMatrixRMaj transpose(DMatrixRMaj a) {
        return CommonOps_DDRM.transpose(a, null);
    }

    /** Packs the leading k columns of U, k values of S and k rows of Vt. */
    static TruncatedSvd truncated(DMatrixRMaj u, DMatrixRMaj s, DMatrixRMaj vt, int k, double frobeniusSquared) {
        int rows = u.numRows;
        int cols = vt.numCols;
        k = Math.min(k, s.numCols);
        float[] uf = new float[rows * k];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < k; j++) {
                uf[i * k + j] = (float) u.get(i, j);
            }
        }
        float[] sf = new float[k];
        for (int j = 0; j < k; j++) {
            sf[j] = (float) s.data[j];
        }
        float[] vf = new float[k * cols];
        for (int j = 0; j < k; j++) {
            for (int c = 0; c < cols; c++) {
                vf[j * cols + c] = (float) vt.get(j, c);
            }
        }
        return new TruncatedSvd(rows, cols, uf, sf, vf, frobeniusSquared);
    }
}
