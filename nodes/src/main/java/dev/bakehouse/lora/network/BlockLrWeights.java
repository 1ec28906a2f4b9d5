package dev.bakehouse.lora.network;

import dev.bakehouse.lora.format.LbwBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * kohya's block-wise learning-rate factors ({@code network_args} {@code down_lr_weight},
 * {@code mid_lr_weight}, {@code up_lr_weight}, {@code block_lr_zero_threshold}) for SD1/SD2: 12
 * down factors (IN00..IN11), one mid (M00), 12 up (OUT00..OUT11). A list that is too short is
 * filled with 1 and one too long is cut, as kohya does; a factor at or below the threshold becomes
 * 0, and blocks whose factor is 0 get no LoRA modules at all.
 */
public final class BlockLrWeights {
    /** Down or up blocks of SD1/SD2 (kohya's {@code NUM_OF_BLOCKS}). */
    public static final int BLOCKS = 12;

    private final float[] factors; // by LbwBlock.ordinal() - 1: IN00..IN11, M00, OUT00..OUT11

    private BlockLrWeights(float[] factors) {
        this.factors = factors;
    }

    /**
     * @param down      12 comma-separated numbers (empty entries are 0) or a preset {@code cosine},
     *                  {@code sine}, {@code linear}, {@code reverse_linear}, {@code zeros}, optionally
     *                  {@code +base} ({@code sine+0.5}); null for all 1
     * @param mid       one number, or null for 1
     * @param up        as {@code down}
     * @param threshold {@code block_lr_zero_threshold}
     */
    public static BlockLrWeights parse(String down, String mid, String up, float threshold) {
        float[] f = new float[2 * BLOCKS + 1];
        fill(f, 0, down == null ? null : list("down_lr_weight", down), BLOCKS, threshold);
        fill(f, BLOCKS, mid == null ? null : numbers("mid_lr_weight", mid), 1, threshold);
        fill(f, BLOCKS + 1, up == null ? null : list("up_lr_weight", up), BLOCKS, threshold);
        return new BlockLrWeights(f);
    }

    /** The factor of a UNet block (1 for BASE: the text encoder has its own learning rate). */
    public float factor(LbwBlock block) {
        return block == LbwBlock.BASE ? 1f : factors[block.ordinal() - 1];
    }

    private static void fill(float[] into, int from, List<Float> values, int length, float threshold) {
        for (int i = 0; i < length; i++) {
            float v = values == null || i >= values.size() ? 1f : values.get(i);
            into[from + i] = values != null && v <= threshold ? 0f : v;
        }
    }

    private static List<Float> list(String option, String text) {
        if (text.contains(",")) {
            return numbers(option, text);
        }
        String[] tokens = text.trim().split("\\+");
        double base = tokens.length > 1 ? number(option, tokens[1]) : 0.0;
        List<Float> out = new ArrayList<>();
        for (int n = 0; n < BLOCKS; n++) {
            double t = n / (double) (BLOCKS - 1);
            double r = (BLOCKS - 1 - n) / (double) (BLOCKS - 1);
            double v = switch (tokens[0]) {
                case "cosine" -> Math.sin(Math.PI * r / 2);
                case "sine" -> Math.sin(Math.PI * t / 2);
                case "linear" -> t;
                case "reverse_linear" -> r;
                case "zeros" -> 0.0;
                default -> throw new IllegalArgumentException(option + " '" + text
                        + "': expected 12 comma-separated numbers or one of cosine, sine, linear, reverse_linear, zeros (optionally +number)");
            };
            out.add((float) (v + base));
        }
        return out;
    }

    private static List<Float> numbers(String option, String text) {
        List<Float> out = new ArrayList<>();
        for (String s : text.split(",", -1)) {
            out.add(s.isBlank() ? 0f : (float) number(option, s));
        }
        return out;
    }

    static double number(String option, String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + s.trim() + "' is not a number");
        }
    }

    @Override
    public String toString() {
        return Arrays.toString(factors);
    }
}
