package dev.bakehouse.model.clip;

/**
 * A CLIP text transformer (transformers {@code CLIPTextConfig} names). The same math in two key
 * layouts: transformers' {@code CLIPTextModel} (OpenAI CLIP-L: SD1, SDXL's first encoder) and the
 * OpenCLIP text tower (SD2's ViT-H, SDXL's bigG: fused q/k/v {@code in_proj_weight},
 * {@code positional_embedding}, {@code ln_final}, {@code text_projection}).
 *
 * @param hiddenAct     {@code quick_gelu} (OpenAI CLIP) or {@code gelu} (OpenCLIP: the exact erf GELU)
 * @param projectionDim width of {@code text_projection} ([hidden, projection], used as {@code pooled @ P});
 *                      0 when the checkpoint has none
 * @param padTokenId    the id prompts are padded with: 49407 (EOS, transformers CLIPTokenizer) or 0
 *                      ({@code open_clip.tokenize}; SDXL's second tokenizer pads with "!" = 0)
 */
public record TextEncoderConfig(
        Layout layout,
        int vocabSize,
        int hiddenSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int intermediateSize,
        int maxPositionEmbeddings,
        String hiddenAct,
        double layerNormEps,
        int projectionDim,
        int padTokenId) {

    /** The checkpoint key layout of the tower. */
    public enum Layout {
        /** transformers {@code CLIPTextModel} ({@code text_model.encoder.layers.N.self_attn.q_proj}). */
        HF_CLIP,
        /** OpenCLIP ({@code transformer.resblocks.N.attn.in_proj_weight}). */
        OPEN_CLIP
    }

    /** The end-of-text id of CLIP's BPE vocabulary; also transformers' pad id. */
    public static final int EOS = 49407;

    public TextEncoderConfig {
        if (numAttentionHeads < 1 || hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("TextEncoderConfig: hidden_size " + hiddenSize
                    + " does not split into num_attention_heads " + numAttentionHeads);
        }
        if (!hiddenAct.equals("quick_gelu") && !hiddenAct.equals("gelu")) {
            throw new IllegalArgumentException("TextEncoderConfig: hidden_act must be quick_gelu or gelu, got " + hiddenAct);
        }
        if (projectionDim < 0 || projectionDim > 0 && layout != Layout.OPEN_CLIP) {
            throw new IllegalArgumentException("TextEncoderConfig: text_projection (" + projectionDim
                    + ") is only read in the OpenCLIP layout");
        }
        if (padTokenId < 0 || padTokenId >= vocabSize) {
            throw new IllegalArgumentException("TextEncoderConfig: pad id " + padTokenId + " outside the vocabulary of " + vocabSize);
        }
    }

    /** A transformers-layout CLIP text model without projection, padded with EOS (SD1's encoder). */
    public TextEncoderConfig(int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
                             int intermediateSize, int maxPositionEmbeddings, String hiddenAct, double layerNormEps) {
        this(Layout.HF_CLIP, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                maxPositionEmbeddings, hiddenAct, layerNormEps, 0, EOS);
    }

    /** OpenAI CLIP ViT-L/14 text model, as used by SD1.x. */
    public static TextEncoderConfig sd15() {
        return new TextEncoderConfig(49408, 768, 12, 12, 3072, 77, "quick_gelu", 1e-5);
    }

    /** SDXL's second encoder: OpenCLIP ViT-bigG/14 text tower, 20 heads of 64, projection 1280, pad 0. */
    public static TextEncoderConfig openClipBigG() {
        return new TextEncoderConfig(Layout.OPEN_CLIP, 49408, 1280, 32, 20, 5120, 77, "gelu", 1e-5, 1280, 0);
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
