package dev.bakehouse.train.run;

import dev.bakehouse.train.config.SamplePrompt;
import java.awt.image.BufferedImage;

/**
 * Draws one {@code sample_prompts} entry with the model as it is now (the LoRA being trained is
 * hooked in, at multiplier 1). The node layer implements it with the same code as KSampler, so a
 * training sample is what the saved LoRA later gives in a graph.
 */
@FunctionalInterface
public interface SampleRenderer {
    /**
     * @param sampler kohya's {@code sample_sampler} for this prompt
     * @param seed    the prompt's seed ({@code --d}), or a run-derived one when it has none
     */
    BufferedImage render(SamplePrompt prompt, String sampler, long seed);
}
