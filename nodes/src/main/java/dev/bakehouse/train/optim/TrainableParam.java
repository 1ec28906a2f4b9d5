package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * One trainable tensor, named by its key in the saved file (for a LoRA factor, kohya's
 * {@code lora_unet_..._to_q.lora_down.weight}). The optimizer updates {@link #value()} in place
 * and reads its gradient from {@code value.getGradient()} after the backward pass.
 */
public record TrainableParam(String name, NDArray value) {
    public TrainableParam {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
