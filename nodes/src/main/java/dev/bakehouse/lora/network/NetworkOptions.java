package dev.bakehouse.lora.network;

import dev.bakehouse.lora.format.LbwBlock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What kohya's {@code networks.lora} {@code create_network} takes, under kohya's names and defaults.
 * Nullable fields mean "not set", as kohya's {@code None}.
 *
 * @param networkDim            {@code network_dim} (default 4)
 * @param networkAlpha          {@code network_alpha} (default 1; 0 means "= rank", no scaling)
 * @param convDim               {@code conv_dim}: with it, C3Lier modules (3x3 convs of the res
 *                              blocks, down/upsamplers, and their 1x1 shortcuts) are created
 * @param convAlpha             {@code conv_alpha} (default 1 when conv_dim is set)
 * @param networkDropout        {@code network_dropout}: dropout on lora_down's output
 * @param rankDropout           {@code rank_dropout}: drops whole ranks per sample, rescaled
 * @param moduleDropout         {@code module_dropout}: skips a whole module per forward
 * @param multiplier            the network multiplier (1 in training)
 * @param trainUnetOnly         {@code network_train_unet_only}: no text encoder modules
 * @param trainTextEncoderOnly  {@code network_train_text_encoder_only}: no UNet modules
 * @param blockDims             {@code block_dims}: 25 ranks IN00..IN11, M00, OUT00..OUT11 (UNet
 *                              Linear / 1x1 modules)
 * @param blockAlphas           {@code block_alphas}, 25 values
 * @param convBlockDims         {@code conv_block_dims}, 25 ranks for 3x3 modules
 * @param convBlockAlphas       {@code conv_block_alphas}, 25 values
 * @param blockLr               {@code down_lr_weight}/{@code mid_lr_weight}/{@code up_lr_weight}
 * @param blocks                the LBW blocks to train (BASE = text encoder); null for all.
 *                              Unselected blocks get no modules, so they are absent from the file
 * @param dimFromWeights        {@code dim_from_weights}: modules, ranks and alphas come from the
 *                              {@code network_weights} file instead of these options
 * @param loraPlus              LoRA+ lr ratios of the {@code lora_up} weights ({@link LoraPlusRatios#NONE}: off)
 */
public record NetworkOptions(int networkDim, float networkAlpha, Integer convDim, Float convAlpha,
                             Float networkDropout, Float rankDropout, Float moduleDropout, float multiplier,
                             boolean trainUnetOnly, boolean trainTextEncoderOnly,
                             int[] blockDims, float[] blockAlphas, int[] convBlockDims, float[] convBlockAlphas,
                             BlockLrWeights blockLr, Set<LbwBlock> blocks, boolean dimFromWeights,
                             LoraPlusRatios loraPlus) {

    /** Entries in block_dims and friends: IN00..IN11, M00, OUT00..OUT11 (kohya's 12 * 2 + 1). */
    public static final int BLOCK_VALUES = 2 * BlockLrWeights.BLOCKS + 1;

    public NetworkOptions {
        if (networkDim <= 0) {
            throw new IllegalArgumentException("network_dim must be positive, got " + networkDim);
        }
        if (convDim != null && convDim <= 0) {
            throw new IllegalArgumentException("conv_dim must be positive, got " + convDim);
        }
        if (trainUnetOnly && trainTextEncoderOnly) {
            throw new IllegalArgumentException("network_train_unet_only and network_train_text_encoder_only exclude each other");
        }
        checkProbability("network_dropout", networkDropout);
        checkProbability("rank_dropout", rankDropout);
        checkProbability("module_dropout", moduleDropout);
        checkLength("block_dims", blockDims == null ? -1 : blockDims.length);
        checkLength("block_alphas", blockAlphas == null ? -1 : blockAlphas.length);
        checkLength("conv_block_dims", convBlockDims == null ? -1 : convBlockDims.length);
        checkLength("conv_block_alphas", convBlockAlphas == null ? -1 : convBlockAlphas.length);
        loraPlus = loraPlus == null ? LoraPlusRatios.NONE : loraPlus;
        blocks = blocks == null ? null : Set.copyOf(blocks.isEmpty() ? EnumSet.noneOf(LbwBlock.class) : EnumSet.copyOf(blocks));
    }

    /** kohya's defaults: rank 4, alpha 1, LierLa only, no dropout, multiplier 1. */
    public static NetworkOptions defaults() {
        return new NetworkOptions(4, 1f, null, null, null, null, null, 1f, false, false,
                null, null, null, null, null, null, false, LoraPlusRatios.NONE);
    }

    public NetworkOptions withDim(int dim, float alpha) {
        return new NetworkOptions(dim, alpha, convDim, convAlpha, networkDropout, rankDropout, moduleDropout, multiplier,
                trainUnetOnly, trainTextEncoderOnly, blockDims, blockAlphas, convBlockDims, convBlockAlphas, blockLr, blocks,
                dimFromWeights, loraPlus);
    }

    public NetworkOptions withConv(Integer dim, Float alpha) {
        return new NetworkOptions(networkDim, networkAlpha, dim, dim != null && alpha == null ? Float.valueOf(1f) : alpha,
                networkDropout, rankDropout, moduleDropout, multiplier, trainUnetOnly, trainTextEncoderOnly, blockDims,
                blockAlphas, convBlockDims, convBlockAlphas, blockLr, blocks, dimFromWeights, loraPlus);
    }

    public NetworkOptions withDropout(Float network, Float rank, Float module) {
        return new NetworkOptions(networkDim, networkAlpha, convDim, convAlpha, network, rank, module, multiplier,
                trainUnetOnly, trainTextEncoderOnly, blockDims, blockAlphas, convBlockDims, convBlockAlphas, blockLr, blocks,
                dimFromWeights, loraPlus);
    }

    public NetworkOptions withParts(boolean unetOnly, boolean textEncoderOnly) {
        return new NetworkOptions(networkDim, networkAlpha, convDim, convAlpha, networkDropout, rankDropout, moduleDropout,
                multiplier, unetOnly, textEncoderOnly, blockDims, blockAlphas, convBlockDims, convBlockAlphas, blockLr, blocks,
                dimFromWeights, loraPlus);
    }

    public NetworkOptions withBlocks(Set<LbwBlock> selected) {
        return new NetworkOptions(networkDim, networkAlpha, convDim, convAlpha, networkDropout, rankDropout, moduleDropout,
                multiplier, trainUnetOnly, trainTextEncoderOnly, blockDims, blockAlphas, convBlockDims, convBlockAlphas, blockLr,
                selected, dimFromWeights, loraPlus);
    }

    public NetworkOptions withDimFromWeights(boolean fromWeights) {
        return new NetworkOptions(networkDim, networkAlpha, convDim, convAlpha, networkDropout, rankDropout, moduleDropout,
                multiplier, trainUnetOnly, trainTextEncoderOnly, blockDims, blockAlphas, convBlockDims, convBlockAlphas, blockLr,
                blocks, fromWeights, loraPlus);
    }

    /**
     * Applies kohya {@code --network_args} entries ({@code key=value}): conv_dim, conv_alpha,
     * rank_dropout, module_dropout, block_dims, block_alphas, conv_block_dims, conv_block_alphas,
     * down_lr_weight, mid_lr_weight, up_lr_weight, block_lr_zero_threshold, the LoRA+ ratios
     * (loraplus_lr_ratio, loraplus_unet_lr_ratio, loraplus_text_encoder_lr_ratio), and Bakehouse's
     * {@code train_blocks} (an LBW selection such as {@code IN04-IN07,OUT03-OUT06}).
     *
     * @throws IllegalArgumentException naming every unknown key, or the first bad value
     */
    public NetworkOptions withNetworkArgs(List<String> args) {
        Map<String, String> kv = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("network_args entry '" + arg + "': expected key=value");
            }
            String key = arg.substring(0, eq).trim();
            if (!KNOWN_ARGS.contains(key)) {
                unknown.add(key);
            }
            kv.put(key, arg.substring(eq + 1).trim());
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown network_args " + unknown + " for networks.lora; known: " + KNOWN_ARGS);
        }
        Integer cDim = kv.containsKey("conv_dim") ? Integer.valueOf((int) BlockLrWeights.number("conv_dim", kv.get("conv_dim"))) : convDim;
        Float cAlpha = kv.containsKey("conv_alpha") ? Float.valueOf((float) BlockLrWeights.number("conv_alpha", kv.get("conv_alpha"))) : convAlpha;
        if (cDim != null && cAlpha == null) {
            cAlpha = 1f;
        }
        Float rank = kv.containsKey("rank_dropout") ? Float.valueOf((float) BlockLrWeights.number("rank_dropout", kv.get("rank_dropout"))) : rankDropout;
        Float module = kv.containsKey("module_dropout") ? Float.valueOf((float) BlockLrWeights.number("module_dropout", kv.get("module_dropout"))) : moduleDropout;
        BlockLrWeights lr = blockLr;
        if (kv.containsKey("down_lr_weight") || kv.containsKey("mid_lr_weight") || kv.containsKey("up_lr_weight")) {
            lr = BlockLrWeights.parse(kv.get("down_lr_weight"), kv.get("mid_lr_weight"), kv.get("up_lr_weight"),
                    kv.containsKey("block_lr_zero_threshold") ? (float) BlockLrWeights.number("block_lr_zero_threshold", kv.get("block_lr_zero_threshold")) : 0f);
        }
        Set<LbwBlock> selected = kv.containsKey("train_blocks") ? LbwBlock.parseSelection(kv.get("train_blocks")) : blocks;
        return new NetworkOptions(networkDim, networkAlpha, cDim, cAlpha, networkDropout, rank, module, multiplier,
                trainUnetOnly, trainTextEncoderOnly,
                kv.containsKey("block_dims") ? ints("block_dims", kv.get("block_dims")) : blockDims,
                kv.containsKey("block_alphas") ? floats("block_alphas", kv.get("block_alphas")) : blockAlphas,
                kv.containsKey("conv_block_dims") ? ints("conv_block_dims", kv.get("conv_block_dims")) : convBlockDims,
                kv.containsKey("conv_block_alphas") ? floats("conv_block_alphas", kv.get("conv_block_alphas")) : convBlockAlphas,
                lr, selected, dimFromWeights, loraPlus(kv));
    }

    private static final List<String> KNOWN_ARGS = List.of("conv_dim", "conv_alpha", "rank_dropout", "module_dropout",
            "block_dims", "block_alphas", "conv_block_dims", "conv_block_alphas", "down_lr_weight", "mid_lr_weight",
            "up_lr_weight", "block_lr_zero_threshold", "train_blocks", "loraplus_lr_ratio", "loraplus_unet_lr_ratio",
            "loraplus_text_encoder_lr_ratio");

    private LoraPlusRatios loraPlus(Map<String, String> kv) {
        if (!kv.containsKey("loraplus_lr_ratio") && !kv.containsKey("loraplus_unet_lr_ratio")
                && !kv.containsKey("loraplus_text_encoder_lr_ratio")) {
            return loraPlus;
        }
        return new LoraPlusRatios(ratio(kv, "loraplus_lr_ratio"), ratio(kv, "loraplus_unet_lr_ratio"),
                ratio(kv, "loraplus_text_encoder_lr_ratio"));
    }

    private static Double ratio(Map<String, String> kv, String key) {
        return kv.containsKey(key) ? Double.valueOf(BlockLrWeights.number(key, kv.get(key))) : null;
    }

    /** Whether kohya's block-wise mode is on (block_dims or block lr weights given). */
    boolean blockWise() {
        return blockDims != null || blockLr != null;
    }

    private static void checkProbability(String option, Float p) {
        if (p != null && (p < 0f || p >= 1f)) {
            throw new IllegalArgumentException(option + " must be in [0, 1), got " + p);
        }
    }

    private static void checkLength(String option, int length) {
        if (length >= 0 && length != BLOCK_VALUES) {
            throw new IllegalArgumentException(option + " must have " + BLOCK_VALUES
                    + " values (IN00..IN11, M00, OUT00..OUT11), got " + length);
        }
    }

    private static int[] ints(String option, String s) {
        String[] parts = s.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": value " + (i + 1) + " '" + parts[i].trim() + "' is not an integer");
            }
        }
        return out;
    }

    private static float[] floats(String option, String s) {
        String[] parts = s.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (float) BlockLrWeights.number(option, parts[i]);
        }
        return out;
    }
}
