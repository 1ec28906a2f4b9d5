package dev.bakehouse.train.run;

import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.train.config.SamplePrompt;
import java.awt.image.BufferedImage;

/**
 * Draws one {@code sample_prompts} entry with the LoRA as it would be saved now. The trainer
 * unhooks its live modules while this runs, so the model is the plain base model; the node layer
 * patches {@code lora} in at strength 1 and runs the code of CLIPTextEncode, KSampler and
 * VAEDecode, so a training sample is, pixel for pixel, what the saved file later gives in a graph.
 */
@FunctionalInterface
public interface SampleRenderer {
    /**
     * @param sampler kohya's {@code sample_sampler} for this prompt
     * @param seed    the prompt's seed ({@code --d}), or a run-derived one when it has none
     * @param lora    the network's factors rounded to {@code save_precision}, as a saved file holds them;
     *                null draws the model as it is (with whatever LoRAs its caller applied)
     */
    BufferedImage render(SamplePrompt prompt, String sampler, long seed, LoraNetwork lora);
}
