package dev.bakehouse.tensor.sd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Renames UNet weights between the single-file LDM layout ({@code input_blocks.4.1.proj_in.weight})
 * and the diffusers layout ({@code down_blocks.1.attentions.0.proj_in.weight}), both directions,
 * for any LDM UNet shape (SD1, SD2, SDXL, tiny): the block pairs are generated from the level
 * count, res blocks per level and which levels carry attention. Keys here have no
 * {@code model.diffusion_model.} / {@code unet.} prefix. Tensor data never changes.
 */
public final class UNetKeyMap {

    /** A block in both layouts; {@code resnet} blocks also rename their inner layers. */
    private record Block(String ldm, String diffusers, boolean resnet) {}

    /** LDM ResBlock layer names and their diffusers ResnetBlock2D names. */
    private static final String[][] RESNET_LAYERS = {
        {"in_layers.0.", "norm1."}, {"in_layers.2.", "conv1."}, {"out_layers.0.", "norm2."},
        {"out_layers.3.", "conv2."}, {"emb_layers.1.", "time_emb_proj."}, {"skip_connection.", "conv_shortcut."},
    };

    private final List<Block> blocks;

    private UNetKeyMap(List<Block> blocks) {
        // Every prefix ends with '.', so no block can shadow another ("input_blocks.1." vs "...10.").
        this.blocks = Collections.unmodifiableList(blocks);
    }

    /**
     * @param levels          number of resolution levels ({@code len(channel_mult)})
     * @param numResBlocks    res blocks per level on the way down
     * @param attentionLevels levels (0 = full resolution) that carry a SpatialTransformer
     */
    public static UNetKeyMap of(int levels, int numResBlocks, Set<Integer> attentionLevels) {
        List<Block> b = new ArrayList<>();
        b.add(new Block("time_embed.0.", "time_embedding.linear_1.", false));
        b.add(new Block("time_embed.2.", "time_embedding.linear_2.", false));
        b.add(new Block("label_emb.0.0.", "add_embedding.linear_1.", false));
        b.add(new Block("label_emb.0.2.", "add_embedding.linear_2.", false));
        b.add(new Block("input_blocks.0.0.", "conv_in.", false));
        b.add(new Block("out.0.", "conv_norm_out.", false));
        b.add(new Block("out.2.", "conv_out.", false));
        int perLevel = numResBlocks + 1;
        for (int level = 0; level < levels; level++) {
            for (int j = 0; j < numResBlocks; j++) {
                int n = 1 + level * perLevel + j;
                b.add(new Block("input_blocks." + n + ".0.", "down_blocks." + level + ".resnets." + j + ".", true));
                if (attentionLevels.contains(level)) {
                    b.add(new Block("input_blocks." + n + ".1.", "down_blocks." + level + ".attentions." + j + ".", false));
                }
            }
            if (level < levels - 1) {
                b.add(new Block("input_blocks." + (level + 1) * perLevel + ".0.op.",
                        "down_blocks." + level + ".downsamplers.0.conv.", false));
            }
        }
        b.add(new Block("middle_block.0.", "mid_block.resnets.0.", true));
        b.add(new Block("middle_block.1.", "mid_block.attentions.0.", false));
        b.add(new Block("middle_block.2.", "mid_block.resnets.1.", true));
        for (int i = 0; i < levels; i++) {
            int level = levels - 1 - i;
            boolean attention = attentionLevels.contains(level);
            for (int j = 0; j < perLevel; j++) {
                int n = i * perLevel + j;
                b.add(new Block("output_blocks." + n + ".0.", "up_blocks." + i + ".resnets." + j + ".", true));
                if (attention) {
                    b.add(new Block("output_blocks." + n + ".1.", "up_blocks." + i + ".attentions." + j + ".", false));
                }
            }
            if (i < levels - 1) {
                int n = i * perLevel + numResBlocks;
                b.add(new Block("output_blocks." + n + "." + (attention ? 2 : 1) + ".conv.",
                        "up_blocks." + i + ".upsamplers.0.conv.", false));
            }
        }
        return new UNetKeyMap(b);
    }

    /** The map for a detected checkpoint. */
    public static UNetKeyMap of(DetectedArchitecture.UNetNumbers unet) {
        Set<Integer> attention = new java.util.TreeSet<>();
        for (int factor : unet.attentionResolutions()) {
            attention.add(Integer.numberOfTrailingZeros(factor));
        }
        return of(unet.channelMult().size(), unet.numResBlocks(), attention);
    }

    /** The diffusers name of an LDM UNet key, or empty when the key belongs to no known block. */
    public Optional<String> toDiffusers(String ldmKey) {
        for (Block b : blocks) {
            if (ldmKey.startsWith(b.ldm())) {
                return Optional.of(b.diffusers() + inner(ldmKey.substring(b.ldm().length()), b.resnet(), true));
            }
        }
        return Optional.empty();
    }

    /** The LDM name of a diffusers UNet key, or empty when the key belongs to no known block. */
    public Optional<String> toLdm(String diffusersKey) {
        for (Block b : blocks) {
            if (diffusersKey.startsWith(b.diffusers())) {
                return Optional.of(b.ldm() + inner(diffusersKey.substring(b.diffusers().length()), b.resnet(), false));
            }
        }
        return Optional.empty();
    }

    private static String inner(String rest, boolean resnet, boolean toDiffusers) {
        if (!resnet) {
            return rest;
        }
        for (String[] pair : RESNET_LAYERS) {
            String from = toDiffusers ? pair[0] : pair[1];
            String to = toDiffusers ? pair[1] : pair[0];
            if (rest.startsWith(from)) {
                return to + rest.substring(from.length());
            }
        }
        return rest;
    }
}
