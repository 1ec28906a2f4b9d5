package dev.bakehouse.node.sd;

import java.util.Objects;

/** The VAE value: a checkpoint's autoencoder (first_stage_model). */
public record VaeValue(PatchedCheckpoint checkpoint) {
    public VaeValue {
        Objects.requireNonNull(checkpoint, "checkpoint");
    }
}
