package dev.bakehouse.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.train.config.PreservationOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Preservation terms for tiny datasets, added to the step's loss (Bakehouse's own, after
 * ai-toolkit's differential output preservation). For a prompt p with conditioning c(p), on the
 * step's own noisy latents x_t and timesteps t:
 *
 * <pre>
 *   term(p) = weight · mean over every element of (ε_LoRA(x_t, t, c₁(p)) − sg[ε_base(x_t, t, c₀(p))])²
 * </pre>
 *
 * where ε_LoRA is the UNet with the LoRA at multiplier 1 (and c₁ the text encoder with its LoRA,
 * when it trains), ε_base the same with multiplier 0, computed without a graph (sg = stop
 * gradient). Differential output preservation ({@code dop_weight}) uses the class prompt without
 * the trigger ({@code dop_class_prompt}), so the LoRA learns the trigger rather than redrawing the
 * whole class; blank-prompt preservation ({@code blank_preservation_weight}) uses the empty prompt,
 * so unconditioned output stays the base model's. A LoRA that changes nothing (lora_up = 0, as at
 * initialisation) makes every term 0.
 */
public final class PreservationLoss {
    private PreservationLoss() {}

    /** The UNet's prediction on the step's noisy latents for a conditioning, with the LoRA at {@code multiplier}. */
    @FunctionalInterface
    public interface Prediction {
        NDArray predict(NDArray context, float multiplier);
    }

    /**
     * A prompt's conditioning (B, tokens, D) for the step's batch, with the LoRA at
     * {@code multiplier}; the same array for both multipliers when the text encoder does not train.
     */
    @FunctionalInterface
    public interface Conditioning {
        NDArray encode(String prompt, float multiplier);
    }

    /** One term: its name (for logs), its prompt and weight. */
    public record Term(String name, String prompt, double weight) {}

    /** The terms the options turn on, in a fixed order (dop, then blank). */
    public static List<Term> terms(PreservationOptions options) {
        List<Term> out = new ArrayList<>();
        if (options.dopEnabled()) {
            out.add(new Term("dop", options.dopClassPrompt(), options.dopWeight()));
        }
        if (options.blankEnabled()) {
            out.add(new Term("blank", "", options.blankPreservationWeight()));
        }
        return out;
    }

    /**
     * The sum of the terms, 0-dim, differentiable with respect to the LoRA through the multiplier-1
     * forwards only. Call inside the step's gradient collector: the base forwards switch grad mode
     * off for their duration.
     *
     * @param loraMultiplier the network's training multiplier (kohya's default 1)
     */
    public static NDArray compute(List<Term> terms, Conditioning conditioning, Prediction prediction,
                                  float loraMultiplier) {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("preservation: no term is on (every weight is 0)");
        }
        NDArray total = null;
        for (Term term : terms) {
            NDArray base;
            boolean grad = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                base = prediction.predict(conditioning.encode(term.prompt(), 0f), 0f);
            } finally {
                JniUtils.setGradMode(grad);
            }
            NDArray withLora = prediction.predict(conditioning.encode(term.prompt(), loraMultiplier), loraMultiplier);
            NDArray weighted;
            try (NDArray d = withLora.sub(base); NDArray squared = d.square(); NDArray perSample = TrainingLoss.meanPerSample(squared);
                    NDArray mean = perSample.mean()) {
                weighted = OwnedArrays.times(mean, (float) term.weight());
            }
            total = total == null ? weighted : total.add(weighted);
        }
        return total;
    }
}
