package dev.bakehouse.model.unet;

import ai.djl.ndarray.NDArray;

/**
 * Receives the UNet's intermediate activations under the conformance fixture's names
 * ({@code t_emb}, {@code emb}, {@code input_blocks.N}, {@code middle_block}, {@code output_blocks.N}),
 * for debugging a checkpoint layer by layer. The arrays belong to the forward's manager.
 */
@FunctionalInterface
public interface UNetTrace {
    UNetTrace NONE = (name, value) -> {};

    void record(String name, NDArray value);
}
