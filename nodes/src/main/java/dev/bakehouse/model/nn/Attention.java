package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;
import java.util.function.Function;

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

    private static volatile long scoreElementLimit = MAX_SCORE_ELEMENTS;

    private Attention() {}

    /** The bound on score elements that the model's attention layers use now. */
    public static long scoreElementLimit() {
        return scoreElementLimit;
    }

    /**
     * Sets the model layers' bound until the returned handle is closed: lets tests on a tiny
     * model exercise the sliced paths that only 512x512 inputs reach otherwise.
     */
    public static AutoCloseable limitScoreElements(long limit) {
        long before = scoreElementLimit;
        scoreElementLimit = limit;
        return () -> scoreElementLimit = before;
    }

    /** Whether attention over q (..., Lq, D) and Lk keys is computed in query slices under {@code limit}. */
    public static boolean isSliced(long[] qShape, long lk, long limit) {
        long perQuery = lk;
        for (int i = 0; i < qShape.length - 2; i++) {
            perQuery *= qShape[i];
        }
        return Math.max(1, limit / perQuery) < qShape[qShape.length - 2];
    }

    /**
     * softmax(q k^T * scale + mask) v, softmax max-subtracted (torch's).
     *
     * @param mask additive (Lq, Lk) mask or null; with a mask the queries are never sliced
     *             (only CLIP uses one, at 77 tokens)
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, float scale, NDArray mask) {
        return attend(q, k, v, scale, mask, scoreElementLimit);
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

    /**
     * As {@link #attend(NDArray, NDArray, NDArray, float, NDArray)} (no mask) inside a segment that
     * {@link CheckpointTape} recomputes, with q, k and v views of one array ({@code source}, the
     * fused projection): each query slice becomes a segment of {@code tape}, so backward holds one
     * slice's softmax at a time instead of all of them. Same slices, same values.
     *
     * @param qkvOf q, k and v (..., L, D) of {@code source} or of a leaf standing in for it
     */
    public static NDArray attend(CheckpointTape tape, NDArray source, Function<NDArray, NDList> qkvOf, float scale,
                                 long maxScoreElements) {
        // backpropagated through once the slices are done, after the caller's scope has closed
        source.attach(tape.manager());
        NDArray leaf = tape.shared(source);
        NDList qkv = qkvOf.apply(leaf);
        long[] qs = qkv.get(0).getShape().getShape();
        int rank = qs.length;
        long lq = qs[rank - 2];
        long perQuery = qkv.get(1).getShape().get(rank - 2);
        for (int i = 0; i < rank - 2; i++) {
            perQuery *= qs[i];
        }
        long rowsPerSlice = Math.max(1, maxScoreElements / perQuery);
        if (rowsPerSlice >= lq) {
            return slice(qkv.get(0), qkv.get(1).swapAxes(rank - 2, rank - 1), qkv.get(2), scale, null);
        }
        qkv.close();
        int slices = (int) ((lq + rowsPerSlice - 1) / rowsPerSlice);
        long[] cuts = new long[slices - 1];
        for (int i = 1; i < slices; i++) {
            cuts[i - 1] = i * rowsPerSlice;
        }
        NDList outs = new NDList(slices);
        for (int i = 0; i < slices; i++) {
            int index = i;
            outs.add(tape.segment(List.of(leaf), in -> {
                NDList p = qkvOf.apply(in.get(0));
                NDArray q = p.get(0).split(cuts, rank - 2).get(index);
                return slice(q, p.get(1).swapAxes(rank - 2, rank - 1), p.get(2), scale, null);
            }));
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
