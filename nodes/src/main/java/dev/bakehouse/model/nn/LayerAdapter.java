package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;

/**
 * A branch added to one Linear or Conv2d layer's output: {@code y = base(x) + delta(x)}. The model
 * knows nothing of what computes the branch (a LoRA being trained, a hypernetwork); it only asks.
 * {@code delta} receives the layer's own input and must return an array of the base output's shape,
 * in the input's manager, or null when the branch adds nothing this time (a dropped module).
 */
@FunctionalInterface
public interface LayerAdapter {
    NDArray delta(NDArray x);
}
