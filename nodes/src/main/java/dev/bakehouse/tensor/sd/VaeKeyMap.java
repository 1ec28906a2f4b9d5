package dev.bakehouse.tensor.sd;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Renames VAE weights between the LDM layout ({@code encoder.down.0.block.1.nin_shortcut.weight},
 * {@code decoder.up.3.upsample.conv.weight}, mid attention {@code q/k/v/proj_out} as 1x1 convs) and
 * the diffusers layout ({@code encoder.down_blocks.0.resnets.1.conv_shortcut.weight},
 * {@code decoder.up_blocks.0.upsamplers.0.conv.weight}, attention {@code to_q/to_k/to_v/to_out.0}
 * as linears). Diffusers' older attention names ({@code query/key/value/proj_attn}) are read too.
 * Keys here have no {@code first_stage_model.} / component prefix.
 */
public final class VaeKeyMap {

    /** A renamed key, and whether its weight changes between a 1x1 conv (LDM) and a linear (diffusers). */
    public record Renamed(String key, boolean convLinear) {}

    private record Block(String ldm, String diffusers, boolean attention) {}

    private static final String[][] ATTENTION = {
        {"norm.", "group_norm."}, {"q.", "to_q."}, {"k.", "to_k."}, {"v.", "to_v."}, {"proj_out.", "to_out.0."},
    };
    private static final String[][] OLD_ATTENTION = {
        {"q.", "query."}, {"k.", "key."}, {"v.", "value."}, {"proj_out.", "proj_attn."},
    };

    private final List<Block> blocks;

    private VaeKeyMap(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * @param levels       number of resolution levels ({@code len(ch_mult)})
     * @param numResBlocks res blocks per encoder level (the decoder has one more)
     */
    public static VaeKeyMap of(int levels, int numResBlocks) {
        List<Block> b = new ArrayList<>();
        for (String part : new String[] {"encoder.", "decoder."}) {
            b.add(new Block(part + "mid.block_1.", part + "mid_block.resnets.0.", false));
            b.add(new Block(part + "mid.block_2.", part + "mid_block.resnets.1.", false));
            b.add(new Block(part + "mid.attn_1.", part + "mid_block.attentions.0.", true));
            b.add(new Block(part + "norm_out.", part + "conv_norm_out.", false));
        }
        for (int i = 0; i < levels; i++) {
            for (int j = 0; j < numResBlocks; j++) {
                b.add(new Block("encoder.down." + i + ".block." + j + ".", "encoder.down_blocks." + i + ".resnets." + j + ".", false));
            }
            if (i < levels - 1) {
                b.add(new Block("encoder.down." + i + ".downsample.", "encoder.down_blocks." + i + ".downsamplers.0.", false));
            }
            int ldmLevel = levels - 1 - i; // diffusers counts decoder blocks from the bottom
            for (int j = 0; j <= numResBlocks; j++) {
                b.add(new Block("decoder.up." + ldmLevel + ".block." + j + ".", "decoder.up_blocks." + i + ".resnets." + j + ".", false));
            }
            if (i < levels - 1) {
                b.add(new Block("decoder.up." + ldmLevel + ".upsample.", "decoder.up_blocks." + i + ".upsamplers.0.", false));
            }
        }
        return new VaeKeyMap(b);
    }

    /** The diffusers name of an LDM VAE key (unchanged for conv_in, quant_conv and the like). */
    public Renamed toDiffusers(String ldmKey) {
        for (Block b : blocks) {
            if (ldmKey.startsWith(b.ldm())) {
                return inner(b.diffusers(), ldmKey.substring(b.ldm().length()), b.attention(), true);
            }
        }
        return new Renamed(ldmKey, false);
    }

    /** The LDM name of a diffusers VAE key (either attention spelling). */
    public Renamed toLdm(String diffusersKey) {
        for (Block b : blocks) {
            if (diffusersKey.startsWith(b.diffusers())) {
                return inner(b.ldm(), diffusersKey.substring(b.diffusers().length()), b.attention(), false);
            }
        }
        return new Renamed(diffusersKey, false);
    }

    /** Encoder levels and res blocks of a diffusers VAE, from its keys. */
    public static Optional<VaeKeyMap> fromDiffusersKeys(ShapeIndex keys) {
        int levels = keys.indices("encoder.down_blocks.").size();
        int nrb = keys.indices("encoder.down_blocks.0.resnets.").size();
        return levels == 0 || nrb == 0 ? Optional.empty() : Optional.of(of(levels, nrb));
    }

    private static Renamed inner(String prefix, String rest, boolean attention, boolean toDiffusers) {
        if (attention) {
            for (String[] pair : ATTENTION) {
                String from = toDiffusers ? pair[0] : pair[1];
                if (rest.startsWith(from)) {
                    String to = toDiffusers ? pair[1] : pair[0];
                    return new Renamed(prefix + to + rest.substring(from.length()), !pair[0].equals("norm.") && rest.endsWith("weight"));
                }
            }
            if (!toDiffusers) {
                for (String[] pair : OLD_ATTENTION) {
                    if (rest.startsWith(pair[1])) {
                        return new Renamed(prefix + pair[0] + rest.substring(pair[1].length()), rest.endsWith("weight"));
                    }
                }
            }
            return new Renamed(prefix + rest, false);
        }
        String from = toDiffusers ? "nin_shortcut." : "conv_shortcut.";
        String to = toDiffusers ? "conv_shortcut." : "nin_shortcut.";
        return new Renamed(prefix + (rest.startsWith(from) ? to + rest.substring(from.length()) : rest), false);
    }
}
