package dev.bakehouse.model.unet;

import java.util.List;

/**
 * The SD1.x/SD2.x UNet (LDM {@code openaimodel.UNetModel}) as numbers, with the LDM yaml names.
 * Exactly one of {@code numHeads} (fixed head count, SD1) and {@code numHeadChannels} (fixed head
 * width, SD2) is positive; the other is -1, as in the LDM configs.
 *
 * @param attentionResolutions downsampling factors (1, 2, 4, ...) whose level carries a SpatialTransformer
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
        int transformerDepth,
        int contextDim,
        boolean useLinearInTransformer,
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
        if (channelMult.isEmpty() || numResBlocks < 1 || transformerDepth < 1) {
            throw new IllegalArgumentException("UNetConfig: channel_mult " + channelMult + ", num_res_blocks "
                    + numResBlocks + " and transformer_depth " + transformerDepth + " must be non-empty / >= 1");
        }
        for (int level = 0; level < channelMult.size(); level++) {
            long c = (long) modelChannels * channelMult.get(level);
            if (c % normNumGroups != 0) {
                throw new IllegalArgumentException("UNetConfig: level " + level + " has " + c
                        + " channels, not divisible by norm_num_groups " + normNumGroups);
            }
        }
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
