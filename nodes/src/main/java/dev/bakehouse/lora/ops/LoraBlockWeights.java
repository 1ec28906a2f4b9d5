package dev.bakehouse.lora.ops;

import dev.bakehouse.lora.format.LbwBlock;
import java.util.Arrays;
import java.util.List;

/**
 * A resolved LoRA Block Weight vector (hako-mikan sd-webui-lora-block-weight), held as the 26
 * ratios BASE, IN00..IN11, M00, OUT00..OUT11. The shorter forms the extension knows expand like its
 * {@code to26()}: 17 (SD1/SD2 LoRA: BASE, IN01, IN02, IN04, IN05, IN07, IN08, M00, OUT03..OUT11),
 * 12 (SDXL LoRA) and 20 (SDXL LyCORIS) set their own blocks and every other block gets 0, not 1.
 * Presets, random entries and the prompt syntax live in {@code lora.lbw}.
 */
public final class LoraBlockWeights {
    /** The 26 block ids in order. */
    public static final List<String> BLOCKS26 = blocks26();
    /** The 17 block ids of the SD1 LoRA vector, in order. */
    public static final List<String> BLOCKS17 = List.of("BASE", "IN01", "IN02", "IN04", "IN05", "IN07", "IN08", "M00",
            "OUT03", "OUT04", "OUT05", "OUT06", "OUT07", "OUT08", "OUT09", "OUT10", "OUT11");
    /** The 12 block ids of the SDXL LoRA vector, in order. */
    public static final List<String> BLOCKS12 = List.of("BASE", "IN04", "IN05", "IN07", "IN08", "M00",
            "OUT00", "OUT01", "OUT02", "OUT03", "OUT04", "OUT05");
    /** The 20 block ids of the SDXL LyCORIS vector, in order. */
    public static final List<String> BLOCKS20 = List.of("BASE", "IN00", "IN01", "IN02", "IN03", "IN04", "IN05", "IN06",
            "IN07", "IN08", "M00", "OUT00", "OUT01", "OUT02", "OUT03", "OUT04", "OUT05", "OUT06", "OUT07", "OUT08");

    private final float[] ratios26;

    private LoraBlockWeights(float[] ratios26) {
        this.ratios26 = ratios26;
    }

    /** The block ids of a vector of {@code length} values, or null for a length the extension does not know. */
    public static List<String> blocksOfLength(int length) {
        return switch (length) {
            case 12 -> BLOCKS12;
            case 17 -> BLOCKS17;
            case 20 -> BLOCKS20;
            case 26 -> BLOCKS26;
            default -> null;
        };
    }

    /** 12, 17, 20 or 26 values; the blocks a short form does not name get 0 ({@code to26()}). */
    public static LoraBlockWeights of(float... values) {
        List<String> ids = blocksOfLength(values.length);
        if (ids == null) {
            throw new IllegalArgumentException("a LoRA Block Weight vector has 17 or 26 values (SD1/SD2; 12 or 20 for "
                    + "SDXL), got " + values.length);
        }
        float[] r = new float[26];
        for (int i = 0; i < values.length; i++) {
            r[BLOCKS26.indexOf(ids.get(i))] = values[i];
        }
        return new LoraBlockWeights(r);
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
    public boolean equals(Object o) {
        return o instanceof LoraBlockWeights w && Arrays.equals(ratios26, w.ratios26);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ratios26);
    }

    @Override
    public String toString() {
        return Arrays.toString(ratios26);
    }

    private static List<String> blocks26() {
        return Arrays.stream(LbwBlock.values()).map(LbwBlock::id).toList();
    }
}
