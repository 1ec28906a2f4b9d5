package dev.bakehouse.lora;

import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.ops.LoraBlockWeights;

/**
 * One LoRA to apply at run time, as A1111's {@code <lora:name:unet:te>} with an optional LoRA Block
 * Weight vector: UNet modules are scaled by {@code unetStrength} x the ratio of their block, text
 * encoder modules by {@code textStrength} x the BASE ratio.
 *
 * @param name         for error messages (file name)
 * @param blockWeights null for none (every ratio 1)
 */
public record LoraApplication(String name, LoraNetwork network, float unetStrength, float textStrength,
        LoraBlockWeights blockWeights) {

    /** The same strength for UNet and text encoder, no block weights. */
    public static LoraApplication of(String name, LoraNetwork network, float strength) {
        return new LoraApplication(name, network, strength, strength, null);
    }

    /** The multiplier of a module modifying {@code ldmKey}. */
    float multiplier(LoraModule module, String ldmKey) {
        float strength = module.name().startsWith("lora_te") ? textStrength : unetStrength;
        return blockWeights == null ? strength : strength * blockWeights.ratioFor(ldmKey);
    }
}
