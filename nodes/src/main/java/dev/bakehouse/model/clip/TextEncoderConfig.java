package dev.bakehouse.model.clip;

/**
 * The CLIP text transformer (transformers {@code CLIPTextConfig} names).
 *
 * @param hiddenAct {@code quick_gelu} (OpenAI CLIP, SD1) or {@code gelu} (OpenCLIP, SD2)
 */
public record TextEncoderConfig(
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        String hiddenAct,
        double layerNormEps) {

    public TextEncoderConfig {
        if (numAttentionHeads < 1 || hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("TextEncoderConfig: hidden_size " + hiddenSize
                    + " does not split into num_attention_heads " + numAttentionHeads);
        }
        if (!hiddenAct.equals("quick_gelu") && !hiddenAct.equals("gelu")) {
            throw new IllegalArgumentException("TextEncoderConfig: hidden_act must be quick_gelu or gelu, got " + hiddenAct);
        }
    }

    /** OpenAI CLIP ViT-L/14 text model, as used by SD1.x. */
    public static TextEncoderConfig sd15() {
        return new TextEncoderConfig(49408, 768, 12, 12, 3072, 77, "quick_gelu", 1e-5);
    }

    /** The conformance fixture's tiny text encoder ({@code sd15-tiny/config.json}). */
    public static TextEncoderConfig tiny() {
        return new TextEncoderConfig(49408, 32, 2, 2, 64, 77, "quick_gelu", 1e-5);
    }

    /**
     * The toy model's text encoder: CLIP's full 49408-token vocabulary (the bundled SD1 tokenizer)
     * at width 64, whose embedding table is most of its 3.3M weights; three layers suffice for
     * captions of a few booru tags.
     */
    public static TextEncoderConfig toy() {
        return new TextEncoderConfig(49408, 64, 3, 4, 256, 77, "quick_gelu", 1e-5);
    }
}
