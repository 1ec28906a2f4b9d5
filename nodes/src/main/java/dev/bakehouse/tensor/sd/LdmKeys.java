package dev.bakehouse.tensor.sd;

import java.util.Map;

/**
 * Spelling fixes and EMA names for single-file (LDM) checkpoint keys, as AUTOMATIC1111 applies them.
 */
public final class LdmKeys {
    private LdmKeys() {}

    /**
     * Checkpoints saved with transformers before 4.x name the CLIP text model without its
     * {@code text_model.} level; A1111 ({@code checkpoint_dict_replacements_sd1}) renames them.
     */
    private static final Map<String, String> OLD_CLIP_PREFIXES = Map.of(
            "cond_stage_model.transformer.embeddings.", "cond_stage_model.transformer.text_model.embeddings.",
            "cond_stage_model.transformer.encoder.", "cond_stage_model.transformer.text_model.encoder.",
            "cond_stage_model.transformer.final_layer_norm.", "cond_stage_model.transformer.text_model.final_layer_norm.");

    /** The key in today's spelling (unchanged when already current). */
    public static String normalize(String key) {
        for (Map.Entry<String, String> e : OLD_CLIP_PREFIXES.entrySet()) {
            if (key.startsWith(e.getKey())) {
                return e.getValue() + key.substring(e.getKey().length());
            }
        }
        return key;
    }

    /**
     * The EMA copy of a UNet weight as LDM's {@code LitEma} names it: {@code model_ema.} followed by
     * the parameter path under {@code model.} with the dots removed
     * ({@code model.diffusion_model.out.2.weight} -> {@code model_ema.diffusion_modelout2weight}).
     * Like A1111, loaders use the plain weights and ignore these unless asked for EMA.
     */
    public static String emaKeyFor(String unetKey) {
        if (!unetKey.startsWith("model.")) {
            throw new IllegalArgumentException("not a UNet key: " + unetKey);
        }
        return "model_ema." + unetKey.substring("model.".length()).replace(".", "");
    }
}
