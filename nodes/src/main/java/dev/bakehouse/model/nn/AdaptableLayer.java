package dev.bakehouse.model.nn;

/**
 * A layer that accepts a {@link LayerAdapter}, found by its weight's checkpoint key through
 * {@link ParamStore#adaptable}. Layers that fuse several projections into one matmul (q/k/v) ask
 * {@link #isAdapted()} and fall back to separate projections, so every branch lands on its own slice.
 */
public interface AdaptableLayer {
    /** The weight this layer multiplies by. */
    Param weight();

    /** Sets the branch, or removes it with null. */
    void setAdapter(LayerAdapter adapter);

    boolean isAdapted();
}
