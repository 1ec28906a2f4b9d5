package dev.bakehouse.train.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;

/**
 * {@code --network_args} of {@code networks.lora} (sd-scripts {@code networks/lora.py create_network}),
 * typed, for SD1.x (12 down, 1 mid, 12 up blocks), plus Bakehouse's {@code train_blocks}.
 *
 * @param raw             the KEY=VALUE pairs as given, in order (kohya writes them to ss_network_args)
 * @param convDim         {@code conv_dim}: rank of the 3x3 conv modules (C3Lier); absent = none
 * @param convAlpha       {@code conv_alpha}: 1.0 when conv_dim is set without it, as kohya does
 * @param rankDropout     {@code rank_dropout}
 * @param moduleDropout   {@code module_dropout}
 * @param blockDims       {@code block_dims}: 25 ranks (IN00..IN11, M00, OUT00..OUT11); empty if not given
 * @param blockAlphas     {@code block_alphas}: 25 alphas; empty if not given
 * @param convBlockDims   {@code conv_block_dims}: 25 conv ranks; empty if not given
 * @param convBlockAlphas {@code conv_block_alphas}: 25 conv alphas; empty if not given
 * @param blockLrWeights  {@code down_lr_weight}/{@code mid_lr_weight}/{@code up_lr_weight} resolved as
 *                        kohya does (shapes, padding with 1.0, {@code block_lr_zero_threshold}) into
 *                        25 weights; empty when none of the three is given. A 0 weight drops the block.
 * @param loraplusLrRatio {@code loraplus_lr_ratio}, and the two per-part ratios below
 * @param trainBlocks     {@code train_blocks} (Bakehouse): only these blocks get modules
 * @param warnings        what kohya would warn about (padded or truncated lists)
 */
public record LoraNetworkArgs(Map<String, String> raw, Optional<Integer> convDim, Optional<Double> convAlpha,
        Optional<Double> rankDropout, Optional<Double> moduleDropout, List<Integer> blockDims, List<Double> blockAlphas,
        List<Integer> convBlockDims, List<Double> convBlockAlphas, List<Double> blockLrWeights,
        Optional<Double> loraplusLrRatio, Optional<Double> loraplusUnetLrRatio, Optional<Double> loraplusTextEncoderLrRatio,
        Optional<BlockSelection> trainBlocks, List<String> warnings) {

    public static final int NUM_OF_BLOCKS = 12;
    public static final int NUM_TOTAL_BLOCKS = NUM_OF_BLOCKS * 2 + 1;

    private static final List<String> KEYS = List.of("conv_dim", "conv_alpha", "rank_dropout", "module_dropout", "block_dims",
            "block_alphas", "conv_block_dims", "conv_block_alphas", "down_lr_weight", "mid_lr_weight", "up_lr_weight",
            "block_lr_zero_threshold", "loraplus_lr_ratio", "loraplus_unet_lr_ratio", "loraplus_text_encoder_lr_ratio",
            "train_blocks");

    public static final LoraNetworkArgs NONE = parse(List.of());

    /** Parses {@code KEY=VALUE} items; an unknown key or a malformed value is an error naming it. */
    public static LoraNetworkArgs parse(List<String> items) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String item : items) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--network_args: '" + item + "' is not KEY=VALUE");
            }
            String key = item.substring(0, eq).strip();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("--network_args: unknown key '" + key + "' for networks.lora (expected one of "
                        + String.join(", ", KEYS) + ")");
            }
            raw.put(key, item.substring(eq + 1).strip());
        }
        List<String> warnings = new ArrayList<>();
        Optional<Integer> convDim = Optional.ofNullable(raw.get("conv_dim")).map(v -> integer("conv_dim", v));
        Optional<Double> convAlpha = Optional.ofNullable(raw.get("conv_alpha")).map(v -> real("conv_alpha", v));
        if (convDim.isPresent() && convAlpha.isEmpty()) {
            convAlpha = Optional.of(1.0);
        }
        return new LoraNetworkArgs(Collections.unmodifiableMap(raw), convDim, convAlpha, optionalReal(raw, "rank_dropout"),
                optionalReal(raw, "module_dropout"), blockList(raw, "block_dims", v -> integer("block_dims", v)),
                blockList(raw, "block_alphas", v -> real("block_alphas", v)),
                blockList(raw, "conv_block_dims", v -> integer("conv_block_dims", v)),
                blockList(raw, "conv_block_alphas", v -> real("conv_block_alphas", v)), blockLrWeights(raw, warnings),
                optionalReal(raw, "loraplus_lr_ratio"), optionalReal(raw, "loraplus_unet_lr_ratio"),
                optionalReal(raw, "loraplus_text_encoder_lr_ratio"),
                Optional.ofNullable(raw.get("train_blocks")).map(BlockSelection::parse), List.copyOf(warnings));
    }

    private static <T> List<T> blockList(Map<String, String> raw, String key, java.util.function.Function<String, T> parse) {
        String value = raw.get(key);
        if (value == null) {
            return List.of();
        }
        List<T> list = Arrays.stream(value.split(",")).map(String::strip).map(parse).toList();
        if (list.size() != NUM_TOTAL_BLOCKS) {
            throw new IllegalArgumentException("--network_args " + key + ": expected " + NUM_TOTAL_BLOCKS
                    + " comma-separated values (IN00..IN11, M00, OUT00..OUT11), found " + list.size());
        }
        return list;
    }

    /** kohya's {@code parse_block_lr_kwargs} + {@code get_block_lr_weight} for SD1.x. */
    private static List<Double> blockLrWeights(Map<String, String> raw, List<String> warnings) {
        String down = raw.get("down_lr_weight");
        String mid = raw.get("mid_lr_weight");
        String up = raw.get("up_lr_weight");
        if (down == null && mid == null && up == null) {
            return List.of();
        }
        double threshold = Optional.ofNullable(raw.get("block_lr_zero_threshold"))
                .map(v -> real("block_lr_zero_threshold", v)).orElse(0.0);
        List<Double> weights = new ArrayList<>();
        weights.addAll(fit(down == null ? null : downOrUp("down_lr_weight", down), NUM_OF_BLOCKS, "down_lr_weight", warnings));
        weights.addAll(fit(mid == null ? null : floats("mid_lr_weight", mid), 1, "mid_lr_weight", warnings));
        weights.addAll(fit(up == null ? null : downOrUp("up_lr_weight", up), NUM_OF_BLOCKS, "up_lr_weight", warnings));
        return weights.stream().map(w -> w > threshold ? w : 0.0).toList();
    }

    private static List<Double> fit(List<Double> given, int length, String key, List<String> warnings) {
        if (given == null) {
            return Collections.nCopies(length, 1.0);
        }
        if (given.size() > length) {
            warnings.add(key + " has " + given.size() + " values; those after the " + length + "th are ignored (as kohya does)");
            return given.subList(0, length);
        }
        if (given.size() < length) {
            warnings.add(key + " has " + given.size() + " values; the missing ones up to " + length + " are 1.0 (as kohya does)");
            List<Double> padded = new ArrayList<>(given);
            padded.addAll(Collections.nCopies(length - given.size(), 1.0));
            return padded;
        }
        return given;
    }

    /** A comma list, or a shape {@code cosine|sine|linear|reverse_linear|zeros} with an optional {@code +base}. */
    private static List<Double> downOrUp(String key, String value) {
        if (value.contains(",")) {
            return floats(key, value);
        }
        String[] parts = value.split("\\+");
        double base = parts.length > 1 ? real(key, parts[1]) : 0.0;
        int n = NUM_OF_BLOCKS;
        DoubleUnaryOperator sine = i -> Math.sin(Math.PI * (i / (n - 1)) / 2);
        List<Double> shape = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double rising = i;
            double falling = n - 1 - i;
            shape.add(base + switch (parts[0]) {
                case "cosine" -> sine.applyAsDouble(falling);
                case "sine" -> sine.applyAsDouble(rising);
                case "linear" -> rising / (n - 1);
                case "reverse_linear" -> falling / (n - 1);
                case "zeros" -> 0.0;
                default -> throw new IllegalArgumentException("--network_args " + key + ": '" + value
                        + "' is neither a comma list nor one of cosine, sine, linear, reverse_linear, zeros (optionally +BASE)");
            });
        }
        return shape;
    }

    /** Comma list where an empty item is 0, as kohya reads it. */
    private static List<Double> floats(String key, String value) {
        return Arrays.stream(value.split(",", -1)).map(String::strip).map(s -> s.isEmpty() ? 0.0 : real(key, s)).toList();
    }

    private static Optional<Double> optionalReal(Map<String, String> raw, String key) {
        return Optional.ofNullable(raw.get(key)).map(v -> real(key, v));
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--network_args " + key + ": expected an int, found '" + value + "'");
        }
    }

    private static double real(String key, String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--network_args " + key + ": expected a float, found '" + value + "'");
        }
    }
}
