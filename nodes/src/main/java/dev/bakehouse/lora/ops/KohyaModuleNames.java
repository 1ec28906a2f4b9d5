package dev.bakehouse.lora.ops;

import java.util.Map;
import java.util.Optional;

/**
 * The kohya sd-scripts LoRA module name ({@code lora_unet_…}, {@code lora_te_…}: the diffusers /
 * transformers module path with '.' -> '_') of an SD1.x single-file (LDM) weight key. diffusers
 * numbers blocks per level where LDM numbers them flat: input_blocks[1 + i(n+1) + j] is
 * down_blocks.i (resnets|attentions).j and input_blocks[(i+1)(n+1)] its downsampler;
 * output_blocks[i(n+1) + j] is up_blocks.i (deepest level first), n = num_res_blocks.
 */
public final class KohyaModuleNames {
    private static final String UNET = "model.diffusion_model.";
    private static final String TEXT = "cond_stage_model.transformer.";
    private static final Map<String, String> RESNET_LAYERS = Map.of(
            "in_layers.2", "conv1", "out_layers.3", "conv2", "emb_layers.1", "time_emb_proj", "skip_connection", "conv_shortcut");

    private KohyaModuleNames() {}

    /**
     * @param ldmWeightKey a {@code .weight} key of a linear or conv layer
     * @return the module name, or empty for a weight no kohya module targets (conv_in, time_embed,
     *         out, norms, embeddings)
     */
    public static Optional<String> of(String ldmWeightKey, int numResBlocks) {
        if (!ldmWeightKey.endsWith(".weight")) {
            return Optional.empty();
        }
        String module = ldmWeightKey.substring(0, ldmWeightKey.length() - ".weight".length());
        if (module.startsWith(TEXT)) {
            String path = module.substring(TEXT.length());
            boolean target = path.startsWith("text_model.encoder.layers.") && (path.contains(".self_attn.") || path.contains(".mlp."));
            return target ? Optional.of("lora_te_" + underscore(path)) : Optional.empty();
        }
        if (!module.startsWith(UNET)) {
            return Optional.empty();
        }
        String rest = module.substring(UNET.length());
        if (rest.startsWith("middle_block.")) {
            String[] m = rest.split("\\.", 3); // middle_block, layer, tail
            int layer = Integer.parseInt(m[1]);
            String diffusers = layer == 1 ? layerOf("mid_block", 1, 0, m[2]) : layerOf("mid_block", 0, layer == 0 ? 0 : 1, m[2]);
            return Optional.ofNullable(diffusers).map(d -> "lora_unet_" + d);
        }
        String[] p = rest.split("\\.", 4); // input_blocks|output_blocks, block, layer, tail
        if (p.length < 4) {
            return Optional.empty();
        }
        int n = numResBlocks + 1;
        int block = Integer.parseInt(p[1]);
        int layer = Integer.parseInt(p[2]);
        String tail = p[3];
        String diffusers = null;
        if (p[0].equals("input_blocks") && block > 0) {
            int level = (block - 1) / n;
            int j = (block - 1) % n;
            if (j == numResBlocks) {
                diffusers = tail.equals("op") ? "down_blocks_" + level + "_downsamplers_0_conv" : null;
            } else {
                diffusers = layerOf("down_blocks_" + level, layer, j, tail);
            }
        } else if (p[0].equals("output_blocks")) {
            int level = block / n;
            diffusers = tail.equals("conv") && layer > 0
                    ? "up_blocks_" + level + "_upsamplers_0_conv"
                    : layerOf("up_blocks_" + level, layer, block % n, tail);
        }
        return Optional.ofNullable(diffusers).map(d -> "lora_unet_" + d);
    }

    /** A layer inside resnet j (LDM layer 0) or transformer j (LDM layer 1) of a diffusers block. */
    private static String layerOf(String block, int layer, int j, String tail) {
        if (layer == 0) {
            String resnet = RESNET_LAYERS.get(tail);
            return resnet == null ? null : block + "_resnets_" + j + "_" + resnet;
        }
        // kohya adapts the Linear / Conv2d children of a transformer, never its norms
        boolean norm = tail.substring(tail.lastIndexOf('.') + 1).startsWith("norm");
        return norm ? null : block + "_attentions_" + j + "_" + underscore(tail);
    }

    private static String underscore(String path) {
        return path.replace('.', '_');
    }
}
