package dev.bakehouse.model.unet;

import java.util.List;

/**
 * The SD1.x/SD2.x/SDXL UNet (LDM/sgm {@code openaimodel.UNetModel}) as numbers, with the yaml names.
 * Exactly one of {@code numHeads} (fixed head count, SD1) and {@code numHeadChannels} (fixed head
 * width, SD2 and SDXL) is positive; the other is -1, as in the LDM configs.
 *
 * @param attentionResolutions   downsampling factors (1, 2, 4, ...) whose level carries a SpatialTransformer
 * @param transformerDepth       BasicTransformerBlocks per SpatialTransformer, one entry per level; levels
 *                               without attention hold 0 (sgm reads no value there: SDXL's yaml says 1)
 * @param transformerDepthMiddle blocks of the middle block's SpatialTransformer (sgm: the last level's)
 * @param admInChannels          width of the vector conditioning {@code y} fed to {@code label_emb}
 *                               (sgm {@code num_classes: sequential}, SDXL); 0 for none
 */
public record UNetConfig(
        int inChannels,
        int outChannels,
        int modelChannels,
        List<Integer> channelMult,
        int numResBlocks,
        List<Integer> attentionResolutions,
        int numHeads,
        int numHeadChannels,
        List<Integer> transformerDepth,
        int transformerDepthMiddle,
        int contextDim,
        boolean useLinearInTransformer,
        int admInChannels,
        int normNumGroups,
        double resblockNormEps,
        double transformerGroupNormEps,
        double layerNormEps) {

    public UNetConfig {
        channelMult = List.copyOf(channelMult);
        // a set of factors; kept in the LDM yaml order (largest first) so equal configs compare equal
        attentionResolutions = attentionResolutions.stream().distinct().sorted(java.util.Comparator.reverseOrder()).toList();
        if ((numHeads > 0) == (numHeadChannels > 0)) {
            throw new IllegalArgumentException("UNetConfig: exactly one of num_heads (" + numHeads
                    + ") and num_head_channels (" + numHeadChannels + ") must be positive");
        }
        if (channelMult.isEmpty() || numResBlocks < 1 || transformerDepthMiddle < 1 || admInChannels < 0) {
            throw new IllegalArgumentException("UNetConfig: channel_mult " + channelMult + ", num_res_blocks "
                    + numResBlocks + ", transformer_depth_middle " + transformerDepthMiddle + " and adm_in_channels "
                    + admInChannels + " must be non-empty / >= 1 / >= 1 / >= 0");
        }
        if (transformerDepth.size() != channelMult.size()) {
            throw new IllegalArgumentException("UNetConfig: transformer_depth " + transformerDepth + " needs one value per "
                    + "level of channel_mult " + channelMult);
        }
        List<Integer> depth = new java.util.ArrayList<>();
        for (int level = 0; level < channelMult.size(); level++) {
            boolean attention = attentionResolutions.contains(1 << level);
            if (attention && transformerDepth.get(level) < 1) {
                throw new IllegalArgumentException("UNetConfig: level " + level + " has attention but transformer_depth "
                        + transformerDepth.get(level));
            }
            depth.add(attention ? transformerDepth.get(level) : 0);
        }
        transformerDepth = List.copyOf(depth);
        for (int level = 0; level < channelMult.size(); level++) {
            long c = (long) modelChannels * channelMult.get(level);
            if (c % normNumGroups != 0) {
                throw new IllegalArgumentException("UNetConfig: level " + level + " has " + c
                        + " channels, not divisible by norm_num_groups " + normNumGroups);
            }
        }
    }

    /** SD1.x/SD2.x form: one transformer depth everywhere, no vector conditioning. */
    public UNetConfig(int inChannels, int outChannels, int modelChannels, List<Integer> channelMult, int numResBlocks,
                      List<Integer> attentionResolutions, int numHeads, int numHeadChannels, int transformerDepth,
                      int contextDim, boolean useLinearInTransformer, int normNumGroups, double resblockNormEps,
                      double transformerGroupNormEps, double layerNormEps) {
        this(inChannels, outChannels, modelChannels, channelMult, numResBlocks, attentionResolutions, numHeads,
                numHeadChannels, java.util.Collections.nCopies(channelMult.size(), transformerDepth), transformerDepth,
                contextDim, useLinearInTransformer, 0, normNumGroups, resblockNormEps, transformerGroupNormEps, layerNormEps);
    }

    /**
     * SDXL base 1.0 (sgm {@code sd_xl_base.yaml}): 320 * (1, 2, 4), attention on levels 1 and 2 with
     * 2 and 10 blocks, 64-wide heads, linear proj_in/proj_out, context 768 + 1280, y 1280 + 6 * 256.
     */
    public static UNetConfig sdxl() {
        return new UNetConfig(4, 4, 320, List.of(1, 2, 4), 2, List.of(4, 2), -1, 64, List.of(1, 2, 10), 10, 2048, true,
                2816, 32, 1e-5, 1e-6, 1e-5);
    }

    /** Stable Diffusion 1.x (v1-inference.yaml). */
    public static UNetConfig sd15() {
        return new UNetConfig(4, 4, 320, List.of(1, 2, 4, 4), 2, List.of(4, 2, 1), 8, -1, 1, 768, false,
                32, 1e-5, 1e-6, 1e-5);
    }

    /** The conformance fixture's tiny SD1-structured UNet ({@code sd15-tiny/config.json}). */
    public static UNetConfig tiny() {
        return new UNetConfig(4, 4, 32, List.of(1, 2, 3, 3), 2, List.of(4, 2, 1), 2, -1, 1, 32, false,
                32, 1e-5, 1e-6, 1e-5);
    }

    /**
     * The toy world's base model ({@code bakehouse pretrain-toy}): SD1.5 at a tenth of its width —
     * channel_mult (1, 2, 4, 4) on 32 channels, two res blocks per level, attention on the top three
     * levels — so every UNet key, LoRA module and LBW block is SD1.5's; 2 heads, 16x16 latents, context
     * from a 64-wide text encoder. Eight norm groups (4 channels per group at the top level, SD has 10):
     * SD's 32 groups would normalise each of the 32 channels alone and erase its spatial mean.
     */
    public static UNetConfig toy() {
        return new UNetConfig(4, 4, 32, List.of(1, 2, 4, 4), 2, List.of(4, 2, 1), 2, -1, 1, 64, false,
                8, 1e-5, 1e-6, 1e-5);
    }

    public int levels() {
        return channelMult.size();
    }

    public int timeEmbedDim() {
        return 4 * modelChannels;
    }

    public long channels(int level) {
        return (long) modelChannels * channelMult.get(level);
    }

    /** BasicTransformerBlocks of the SpatialTransformers of {@code level} (0 without attention). */
    public int transformerDepth(int level) {
        return transformerDepth.get(level);
    }

    /** Whether the UNet takes the vector conditioning {@code y} ({@code label_emb}). */
    public boolean hasVectorConditioning() {
        return admInChannels > 0;
    }

    public boolean hasAttention(int level) {
        return attentionResolutions.contains(1 << level);
    }

    /** Number of heads of a SpatialTransformer with {@code channels} channels. */
    public int heads(long channels) {
        if (numHeads > 0) {
            if (channels % numHeads != 0) {
                throw new IllegalArgumentException(channels + " channels do not split into " + numHeads + " heads");
            }
            return numHeads;
        }
        if (channels % numHeadChannels != 0) {
            throw new IllegalArgumentException(channels + " channels do not split into heads of " + numHeadChannels);
        }
        return (int) (channels / numHeadChannels);
    }
}
