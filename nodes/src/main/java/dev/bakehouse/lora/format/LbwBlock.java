package dev.bakehouse.lora.format;

import dev.bakehouse.tensor.sd.CheckpointComponent;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The block vocabulary of the LoRA Block Weight extension (hako-mikan sd-webui-lora-block-weight),
 * shared by run-time block weights, block-wise training and block selection: BASE (every text
 * encoder layer), IN00..IN11 / M00 / OUT00..OUT11 (the LDM {@code input_blocks[nn]},
 * {@code middle_block}, {@code output_blocks[nn]}). SDXL uses the subset IN00..IN08, M00, OUT00..OUT08.
 * The declaration order is the extension's 26-value order.
 */
public enum LbwBlock {
    BASE,
    IN00, IN01, IN02, IN03, IN04, IN05, IN06, IN07, IN08, IN09, IN10, IN11,
    M00,
    OUT00, OUT01, OUT02, OUT03, OUT04, OUT05, OUT06, OUT07, OUT08, OUT09, OUT10, OUT11;

    private static final String UNET = CheckpointComponent.UNET.prefix();

    /** The id as users write it ({@code IN04}). */
    public String id() {
        return name();
    }

    /** Whether this is a UNet input (down) block. */
    public boolean isInput() {
        return name().startsWith("IN");
    }

    /** Whether this is a UNet output (up) block. */
    public boolean isOutput() {
        return name().startsWith("OUT");
    }

    /** The number after IN / OUT (0 for BASE and M00). */
    public int index() {
        return isInput() ? ordinal() - IN00.ordinal() : isOutput() ? ordinal() - OUT00.ordinal() : 0;
    }

    /**
     * The block a single-file weight key lives in: BASE for any text encoder, the LDM UNet block
     * for UNet keys inside one; empty for the rest (time_embed, out, VAE).
     */
    public static Optional<LbwBlock> ofCheckpointKey(String key) {
        CheckpointComponent c = CheckpointComponent.of(key);
        if (c.isTextEncoder()) {
            return Optional.of(BASE);
        }
        if (c != CheckpointComponent.UNET) {
            return Optional.empty();
        }
        String[] path = key.substring(UNET.length()).split("\\.", 3);
        return switch (path[0]) {
            case "input_blocks" -> Optional.of(values()[IN00.ordinal() + Integer.parseInt(path[1])]);
            case "middle_block" -> Optional.of(M00);
            case "output_blocks" -> Optional.of(values()[OUT00.ordinal() + Integer.parseInt(path[1])]);
            default -> Optional.empty();
        };
    }

    /** One id, case-insensitive ({@code in04}, {@code M00}). */
    public static LbwBlock parse(String id) {
        try {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + id.trim() + "' is not a LoRA block id; expected BASE, IN00..IN11, M00 or OUT00..OUT11");
        }
    }

    /**
     * A selection such as {@code "IN04-IN07,OUT03-OUT06,BASE"}: comma-separated ids or inclusive
     * ranges of ids of one kind (IN-IN, OUT-OUT).
     */
    public static Set<LbwBlock> parseSelection(String text) {
        Set<LbwBlock> out = EnumSet.noneOf(LbwBlock.class);
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] ends = part.split("-");
            if (ends.length == 1) {
                out.add(parse(ends[0]));
                continue;
            }
            LbwBlock from = ends.length == 2 ? parse(ends[0]) : null;
            LbwBlock to = ends.length == 2 ? parse(ends[1]) : null;
            if (from == null || from.isInput() != to.isInput() || from.isOutput() != to.isOutput()
                    || (!from.isInput() && !from.isOutput()) || from.ordinal() > to.ordinal()) {
                throw new IllegalArgumentException("block range '" + part.trim()
                        + "': expected two ids of the same kind in ascending order, such as IN04-IN07 or OUT03-OUT06");
            }
            out.addAll(EnumSet.range(from, to));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("block selection '" + text + "' names no block");
        }
        return out;
    }
}
