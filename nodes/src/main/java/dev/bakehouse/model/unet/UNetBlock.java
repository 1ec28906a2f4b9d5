package dev.bakehouse.model.unet;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** An LDM {@code input_blocks.N}, {@code middle_block} or {@code output_blocks.N}: layers in order. */
final class UNetBlock {
    private final List<UNetLayer> layers;

    UNetBlock(List<UNetLayer> layers) {
        this.layers = List.copyOf(layers);
    }

    NDArray forward(NDArray x, NDArray embSilu, NDArray context) {
        NDArray h = x;
        for (UNetLayer layer : layers) {
            h = layer.forward(h, embSilu, context);
        }
        return h;
    }
}
