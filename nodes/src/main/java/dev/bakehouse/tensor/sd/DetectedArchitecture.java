package dev.bakehouse.tensor.sd;

import java.util.List;
import java.util.Map;

/**
 * What a checkpoint is, read from its keys and shapes: the family, whether its widths are the
 * published ones or a custom (tiny) size, and every configuration number the shapes reveal, with
 * the LDM yaml names. Attention head counts are not visible in shapes: for the published sizes
 * they are the family's convention (SD1: 8 heads; SD2/SDXL: 64-wide heads), otherwise -1 and
 * the caller needs a config file.
 */
public record DetectedArchitecture(
        Family family,
        boolean standardSize,
        Prediction prediction,
        UNetNumbers unet,
        List<TextEncoderNumbers> textEncoders,
        VaeNumbers vae,
        Map<CheckpointComponent, Integer> tensorCounts,
        Map<CheckpointComponent, Long> parameterCounts) {

    public DetectedArchitecture {
        textEncoders = List.copyOf(textEncoders);
        tensorCounts = Map.copyOf(tensorCounts);
        parameterCounts = Map.copyOf(parameterCounts);
    }

    /** Model families, with kohya's {@code ss_base_model_version} spelling. */
    public enum Family {
        SD1("SD1.x", "sd_v1"),
        SD2("SD2.x", "sd_v2"),
        SDXL("SDXL", "sdxl_base_v1-0");

        private final String displayName;
        private final String kohyaBaseModelVersion;

        Family(String displayName, String kohyaBaseModelVersion) {
            this.displayName = displayName;
            this.kohyaBaseModelVersion = kohyaBaseModelVersion;
        }

        public String displayName() {
            return displayName;
        }

        public String kohyaBaseModelVersion() {
            return kohyaBaseModelVersion;
        }
    }

    public enum Prediction { EPSILON, V_PREDICTION, UNKNOWN }

    /**
     * LDM {@code UNetModel} numbers.
     *
     * @param attentionResolutions downsampling factors (1, 2, 4...) of the levels that carry a SpatialTransformer
     * @param transformerDepth     transformer blocks per level (0 where a level has none)
     * @param admInChannels        SDXL's class-embedding input width ({@code label_emb}); 0 when absent
     * @param numHeads             fixed head count (SD1), or -1
     * @param numHeadChannels      fixed head width (SD2, SDXL), or -1
     */
    public record UNetNumbers(int inChannels, int outChannels, int modelChannels, List<Integer> channelMult,
                              int numResBlocks, List<Integer> attentionResolutions, List<Integer> transformerDepth,
                              int contextDim, boolean useLinearInTransformer, int admInChannels,
                              int numHeads, int numHeadChannels) {
        public UNetNumbers {
            channelMult = List.copyOf(channelMult);
            attentionResolutions = List.copyOf(attentionResolutions);
            transformerDepth = List.copyOf(transformerDepth);
        }
    }

    /** The text-encoder layouts found in checkpoints. */
    public enum TextLayout {
        /** transformers {@code CLIPTextModel} keys ({@code text_model.encoder.layers.N.self_attn.q_proj}). */
        HF_CLIP,
        /** OpenCLIP keys ({@code transformer.resblocks.N.attn.in_proj_weight}). */
        OPEN_CLIP
    }

    /**
     * One text encoder.
     *
     * @param projectionDim width of {@code text_projection} (SDXL's second encoder), 0 when absent
     */
    public record TextEncoderNumbers(CheckpointComponent component, TextLayout layout, int vocabSize, int hiddenSize,
                                     int numLayers, int intermediateSize, int maxPositions, int projectionDim) {}

    /** LDM {@code AutoencoderKL} numbers ({@code ddconfig} names). */
    public record VaeNumbers(int inChannels, int outChannels, int ch, List<Integer> chMult, int numResBlocks,
                             int zChannels, int embedDim) {
        public VaeNumbers {
            chMult = List.copyOf(chMult);
        }
    }

    /** One line for logs and {@code bakehouse inspect}: "SD1.x (custom size: model_channels 32, context_dim 32)". */
    public String describe() {
        StringBuilder sb = new StringBuilder(family.displayName());
        if (!standardSize) {
            sb.append(" (custom size: model_channels ").append(unet.modelChannels())
                    .append(", channel_mult ").append(unet.channelMult())
                    .append(", context_dim ").append(unet.contextDim()).append(')');
        }
        if (prediction == Prediction.V_PREDICTION) {
            sb.append(", v-prediction");
        }
        return sb.toString();
    }
}
