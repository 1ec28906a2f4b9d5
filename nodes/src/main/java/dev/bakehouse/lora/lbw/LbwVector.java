package dev.bakehouse.lora.lbw;

import dev.bakehouse.lora.lbw.LbwEntry.Context;
import dev.bakehouse.lora.lbw.LbwEntry.Dialect;
import dev.bakehouse.lora.ops.LoraBlockWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * A block weight vector as typed, before its letters are drawn or filled in: comma-separated
 * {@link LbwEntry entries} of one {@link Dialect}.
 */
public record LbwVector(Dialect dialect, List<LbwEntry> entries) {
    public LbwVector {
        entries = List.copyOf(entries);
    }

    /**
     * @param what names the vector in errors (a preset name, {@code lbw=…}, an input name)
     * @throws IllegalArgumentException naming the first entry the dialect does not know
     */
    public static LbwVector parse(String text, Dialect dialect, String what) {
        String[] parts = text.split(",", -1);
        List<LbwEntry> entries = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            LbwEntry e = LbwEntry.parse(parts[i], dialect);
            if (e == null) {
                throw new IllegalArgumentException(what + ": value " + (i + 1) + " ('" + parts[i].strip()
                        + "') is not " + LbwEntry.expected(dialect));
            }
            entries.add(e);
        }
        return new LbwVector(dialect, entries);
    }

    public int size() {
        return entries.size();
    }

    /** Whether an entry draws a random number (R, U). */
    public boolean isRandom() {
        return entries.stream().anyMatch(e -> e instanceof LbwEntry.Random);
    }

    /** Every entry resolved, in order. */
    public float[] resolve(Context context) {
        float[] out = new float[entries.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = entries.get(i).resolve(context);
        }
        return out;
    }

    /**
     * The extension's reading: 17 or 26 values for SD1/SD2 (12 or 20 for SDXL), expanded with 0
     * for unnamed blocks.
     *
     * @throws IllegalArgumentException for another length, naming the vector
     */
    public LoraBlockWeights blockWeights(Context context, String what) {
        if (LoraBlockWeights.blocksOfLength(entries.size()) == null) {
            String hint = entries.size() == 61 ? " (61 values is a Flux vector)"
                    : entries.size() == 27 || entries.size() == 21
                    ? " (" + entries.size() + " values is an Inspire-pack LyCORIS vector; LoraLoaderBlockWeight reads it)" : "";
            throw new IllegalArgumentException(what + ": a LoRA Block Weight vector has 17 or 26 values (12 or 20 for "
                    + "SDXL), found " + entries.size() + hint);
        }
        return LoraBlockWeights.of(resolve(context));
    }
}
