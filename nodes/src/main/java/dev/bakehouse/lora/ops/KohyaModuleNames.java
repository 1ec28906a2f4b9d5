package dev.bakehouse.lora.ops;

import dev.bakehouse.tensor.sd.UNetKeyMap;
import java.util.Optional;

/**
 * The kohya sd-scripts LoRA module name of an SD1.x single-file (LDM) weight key: {@code lora_unet_}
 * + the diffusers module path, {@code lora_te_} + the transformers module path, '.' -> '_'
 * (e.g. input_blocks.1.1.transformer_blocks.0.attn1.to_q -> lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q).
 */
public final class KohyaModuleNames {
    private static final String UNET = "model.diffusion_model.";
    private static final String TEXT = "cond_stage_model.transformer.";
    private static final String WEIGHT = ".weight";

    private final UNetKeyMap unet;

    /** @param unet the LDM <-> diffusers map of the model's UNet layout */
    public KohyaModuleNames(UNetKeyMap unet) {
        this.unet = unet;
    }

    /** The module name for a {@code .weight} key, or empty when the key is outside the UNet and text encoder. */
    public Optional<String> of(String ldmWeightKey) {
        if (!ldmWeightKey.endsWith(WEIGHT)) {
            return Optional.empty();
        }
        if (ldmWeightKey.startsWith(TEXT)) {
            return Optional.of("lora_te_" + underscore(ldmWeightKey.substring(TEXT.length())));
        }
        if (ldmWeightKey.startsWith(UNET)) {
            return unet.toDiffusers(ldmWeightKey.substring(UNET.length())).map(d -> "lora_unet_" + underscore(d));
        }
        return Optional.empty();
    }

    private static String underscore(String weightKey) {
        return weightKey.substring(0, weightKey.length() - WEIGHT.length()).replace('.', '_');
    }
}
