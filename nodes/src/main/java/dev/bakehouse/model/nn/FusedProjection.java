package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/** Adapter support for projections fused into one matmul (q/k/v of the attention layers). */
public final class FusedProjection {
    private FusedProjection() {}

    /**
     * Adds the adapters' branches of {@code parts} to their slices of the fused output (equal
     * widths, concatenated on the last axis in {@code parts} order). The base product stays the
     * very same matmul, so a branch of zeros changes nothing, bit for bit; with no adapter set the
     * fused output is returned as is.
     */
    public static NDArray withAdapters(NDArray fused, NDArray x, List<Linear> parts) {
        if (parts.stream().noneMatch(Linear::isAdapted)) {
            return fused;
        }
        Shape shape = fused.getShape();
        Shape sliceShape = shape.slice(0, shape.dimension() - 1).add(shape.get(shape.dimension() - 1) / parts.size());
        NDList deltas = new NDList();
        for (Linear part : parts) {
            NDArray d = part.adapterDelta(x);
            deltas.add(d != null ? d : x.getManager().zeros(sliceShape));
        }
        return fused.add(NDArrays.concat(deltas, -1));
    }
}
