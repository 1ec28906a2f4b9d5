package dev.bakehouse.node.grid;

import dev.bakehouse.lora.ops.LoraBlockWeights;
import dev.bakehouse.model.sampling.SamplerName;
import dev.bakehouse.model.sampling.SigmaScheduler;
import dev.bakehouse.model.sampling.Seed;
import dev.bakehouse.node.lora.LoraValue;
import java.util.Objects;

/**
 * Everything that makes one grid cell: the LoRA (or none) with its strengths and block weights,
 * the prompts and the KSampler settings. Axis values each change one field of the base settings.
 *
 * @param lora          the LoRA, or null for the model as it came in
 * @param unetStrength  the LoRA's UNet multiplier (LoraLoader's {@code strength_model})
 * @param textStrength  the LoRA's text-encoder multiplier ({@code strength_clip})
 * @param blockWeights  LoRA Block Weight ratios, or null for all 1
 * @param blockLabel    how the block weights were written (a preset name or the vector), or "" for none
 */
public record CellSettings(LoraValue lora, float unetStrength, float textStrength, LoraBlockWeights blockWeights,
        String blockLabel, String positive, String negative, Seed seed, int steps, double cfg,
        SamplerName sampler, SigmaScheduler scheduler) {

    public CellSettings {
        Objects.requireNonNull(blockLabel, "blockLabel");
        Objects.requireNonNull(positive, "positive");
        Objects.requireNonNull(negative, "negative");
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Whether the cell samples the incoming model unchanged (no LoRA, or both strengths 0). */
    boolean isBase() {
        return lora == null || unetStrength == 0f && textStrength == 0f;
    }

    CellSettings withLora(LoraValue value) {
        return new CellSettings(value, unetStrength, textStrength, blockWeights, blockLabel, positive, negative, seed,
                steps, cfg, sampler, scheduler);
    }

    CellSettings withStrengths(float unet, float text) {
        return new CellSettings(lora, unet, text, blockWeights, blockLabel, positive, negative, seed, steps, cfg,
                sampler, scheduler);
    }

    CellSettings withBlockWeights(LoraBlockWeights weights, String label) {
        return new CellSettings(lora, unetStrength, textStrength, weights, label, positive, negative, seed, steps, cfg,
                sampler, scheduler);
    }

    CellSettings withPrompts(String newPositive, String newNegative) {
        return new CellSettings(lora, unetStrength, textStrength, blockWeights, blockLabel, newPositive, newNegative,
                seed, steps, cfg, sampler, scheduler);
    }

    CellSettings withSampling(Seed newSeed, int newSteps, double newCfg, SamplerName newSampler, SigmaScheduler newScheduler) {
        return new CellSettings(lora, unetStrength, textStrength, blockWeights, blockLabel, positive, negative, newSeed,
                newSteps, newCfg, newSampler, newScheduler);
    }
}
