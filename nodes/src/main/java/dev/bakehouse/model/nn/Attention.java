package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * Scaled dot-product attention, sliced over queries so the score matrix stays bounded: at 512x512
 * the first UNet level has 4096 tokens, whose full (B, heads, 4096, 4096) scores would need 1 GiB
 * per batch item; slices of at most {@link #MAX_SCORE_ELEMENTS} keep it to 128 MiB.
 *
 * <p>Axis letters: q (..., Lq, D), k and v (..., Lk, D), where "..." is any leading batch/head axes.
 */
public final class Attention {
    /** Upper bound on score elements (floats) computed at once. */
    public static final long MAX_SCORE_ELEMENTS = 1L << 25;

    private Attention() {}

    /**
     * softmax(q k^T * scale + mask) v, softmax max-subtracted (torch's).
     *
     * @param mask additive (Lq, Lk) mask or null; with a mask the queries are never sliced
     *             (only CLIP uses one, at 77 tokens)
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, float scale, NDArray mask) {
        return attend(q, k, v, scale, mask, MAX_SCORE_ELEMENTS);
    }

    /** As {@link #attend(NDArray, NDArray, NDArray, float, NDArray)} with a chosen bound on score elements. */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, float scale, NDArray mask, long maxScoreElements) {
        long[] qs = q.getShape().getShape();
        int rank = qs.length;
        long lq = qs[rank - 2];
        long lk = k.getShape().get(rank - 2);
        long perQuery = lk;
        for (int i = 0; i < rank - 2; i++) {
            perQuery *= qs[i];
        }
        NDArray kT = k.swapAxes(rank - 2, rank - 1);
        long rowsPerSlice = Math.max(1, maxScoreElements / perQuery);
        if (mask != null || rowsPerSlice >= lq) {
            return slice(q, kT, v, scale, mask);
        }
        int slices = (int) ((lq + rowsPerSlice - 1) / rowsPerSlice);
        long[] cuts = new long[slices - 1];
        for (int i = 1; i < slices; i++) {
            cuts[i - 1] = i * rowsPerSlice;
        }
        NDList parts = q.split(cuts, rank - 2);
        NDList outs = new NDList(slices);
        for (NDArray part : parts) {
            outs.add(Scope.run(part, p -> slice(p, kT, v, scale, null)));
        }
        return NDArrays.concat(outs, rank - 2);
    }

    private static NDArray slice(NDArray q, NDArray kT, NDArray v, float scale, NDArray mask) {
        NDArray scores = OwnedArrays.times(q, scale).matMul(kT);
        if (mask != null) {
            scores = scores.add(mask);
        }
        return scores.softmax(-1).matMul(v);
    }
}
