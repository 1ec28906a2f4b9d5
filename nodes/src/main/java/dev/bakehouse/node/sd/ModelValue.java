package dev.bakehouse.node.sd;

import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.lora.format.LoraNetwork;
import java.util.Objects;

/**
 * The MODEL value: a checkpoint's UNet with the LoRAs applied to it by upstream nodes. Shared
 * read-only: {@link #withLora} returns a new view and the loaded model is patched only while a
 * sampler runs ({@link PatchedCheckpoint#use}).
 */
public record ModelValue(PatchedCheckpoint checkpoint) {
    public ModelValue {
        Objects.requireNonNull(checkpoint, "checkpoint");
    }

    /** This model with a LoRA's UNet modules at {@code strength} (its text encoder modules untouched). */
    public ModelValue withLora(String name, LoraNetwork network, float strength) {
        return withLora(new LoraApplication(name, network, strength, 0f, null));
    }

    /** This model with one more LoRA application (its text strength is not used by a MODEL). */
    public ModelValue withLora(LoraApplication lora) {
        return new ModelValue(checkpoint.withLora(lora));
    }
}
