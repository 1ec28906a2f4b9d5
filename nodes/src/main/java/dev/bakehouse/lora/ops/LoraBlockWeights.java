package dev.bakehouse.lora.ops;

import dev.bakehouse.lora.format.LbwBlock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A LoRA Block Weight vector for SD1.x (hako-mikan sd-webui-lora-block-weight), held as the 26
 * ratios BASE, IN00..IN11, M00, OUT00..OUT11. A 17-value vector (BASE, IN01, IN02, IN04, IN05,
 * IN07, IN08, M00, OUT03..OUT11) expands like the extension's {@code to26()}: every block not in the
 * 17 list gets 0, not 1.
 */
public final class LoraBlockWeights {
    /** The 26 block ids in order. */
    public static final List<String> BLOCKS26 = blocks26();
    /** The 17 block ids of the SD1 LoRA vector, in order. */
    public static final List<String> BLOCKS17 = List.of("BASE", "IN01", "IN02", "IN04", "IN05", "IN07", "IN08", "M00",
            "OUT03", "OUT04", "OUT05", "OUT06", "OUT07", "OUT08", "OUT09", "OUT10", "OUT11");

    /** The extension's built-in 17-value presets (DEF_WEIGHT_PRESET). */
    public static final Map<String, String> PRESETS = Map.of(
            "NONE", "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
            "ALL", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1",
            "INS", "1,1,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0",
            "IND", "1,0,0,0,1,1,1,0,0,0,0,0,0,0,0,0,0",
            "INALL", "1,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0,0",
            "MIDD", "1,0,0,0,1,1,1,1,1,1,1,1,0,0,0,0,0",
            "OUTD", "1,0,0,0,0,0,0,0,1,1,1,1,0,0,0,0,0",
            "OUTS", "1,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1",
            "OUTALL", "1,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1",
            "ALL0.5", "0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5");

    private final float[] ratios26;

    private LoraBlockWeights(float[] ratios26) {
        this.ratios26 = ratios26;
    }

    /** 17 or 26 values. */
    public static LoraBlockWeights of(float... values) {
        if (values.length == 26) {
            return new LoraBlockWeights(values.clone());
        }
        if (values.length != 17) {
            throw new IllegalArgumentException("an SD1 LoRA Block Weight vector has 17 or 26 values, got " + values.length);
        }
        float[] r = new float[26];
        for (int i = 0; i < 17; i++) {
            r[BLOCKS26.indexOf(BLOCKS17.get(i))] = values[i];
        }
        return new LoraBlockWeights(r);
    }

    /** A preset name ({@link #PRESETS}) or comma-separated values, as after {@code lbw=} in a prompt. */
    public static LoraBlockWeights parse(String text) {
        String preset = PRESETS.get(text.trim().toUpperCase(Locale.ROOT));
        String list = preset != null ? preset : text;
        String[] parts = list.split(",");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("LoRA Block Weight '" + text + "': value " + (i + 1) + " ('"
                        + parts[i].trim() + "') is not a number and the text is not a preset " + PRESETS.keySet());
            }
        }
        return of(values);
    }

    public float[] ratios26() {
        return ratios26.clone();
    }

    /**
     * The ratio for a module modifying the single-file weight {@code ldmKey}: BASE for the text
     * encoder, INnn / M00 / OUTnn for the LDM input_blocks[nn] / middle_block / output_blocks[nn]
     * it lives in; 1 for a weight in no block (time_embed, out).
     */
    public float ratioFor(String ldmKey) {
        return LbwBlock.ofCheckpointKey(ldmKey).map(this::ratio).orElse(1f);
    }

    /** The ratio of one block. */
    public float ratio(LbwBlock block) {
        return ratios26[block.ordinal()];
    }

    @Override
    public String toString() {
        return Arrays.toString(ratios26);
    }

    private static List<String> blocks26() {
        return Arrays.stream(LbwBlock.values()).map(LbwBlock::id).toList();
    }
}
