package dev.bakehouse.train.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Bakehouse's {@code train_blocks} network arg: the blocks whose modules are created, in the
 * LoRA Block Weight vocabulary (BASE = text encoder, IN00..IN11, M00, OUT00..OUT11). Written as
 * ids and ranges in that order, e.g. {@code IN04-IN07,OUT03-OUT06} or {@code BASE,M00}.
 */
public record BlockSelection(Set<String> blocks) {
    /**
     * The 26 SD1.x ids in LBW order; a range runs along this list. Same list as
     * {@code lora.ops.LoraBlockWeights.BLOCKS26}, which {@code train} may not import (train and lora
     * meet only in node).
     */
    public static final List<String> SD1_BLOCKS = sd1Blocks();

    public BlockSelection {
        blocks = Set.copyOf(blocks);
    }

    private static List<String> sd1Blocks() {
        List<String> ids = new ArrayList<>();
        ids.add("BASE");
        for (int i = 0; i < 12; i++) {
            ids.add(String.format("IN%02d", i));
        }
        ids.add("M00");
        for (int i = 0; i < 12; i++) {
            ids.add(String.format("OUT%02d", i));
        }
        return List.copyOf(ids);
    }

    public static BlockSelection parse(String text) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String item = part.strip().toUpperCase(java.util.Locale.ROOT);
            if (item.isEmpty()) {
                continue;
            }
            int dash = item.indexOf('-');
            int from = index(dash < 0 ? item : item.substring(0, dash).strip(), text);
            int to = dash < 0 ? from : index(item.substring(dash + 1).strip(), text);
            if (to < from) {
                throw new IllegalArgumentException("network_args train_blocks: range " + part.strip()
                        + " runs backwards (expected e.g. IN04-IN07)");
            }
            chosen.addAll(SD1_BLOCKS.subList(from, to + 1));
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("network_args train_blocks: no block named (expected e.g. IN04-IN07,OUT03-OUT06)");
        }
        return new BlockSelection(chosen);
    }

    private static int index(String id, String text) {
        int index = SD1_BLOCKS.indexOf(id);
        if (index < 0) {
            throw new IllegalArgumentException("network_args train_blocks: unknown block '" + id + "' in '" + text
                    + "' (expected BASE, IN00..IN11, M00 or OUT00..OUT11)");
        }
        return index;
    }

    public boolean contains(String block) {
        return blocks.contains(block);
    }

    /** Whether any UNet block (anything but BASE) is selected. */
    public boolean anyUnet() {
        return blocks.stream().anyMatch(block -> !block.equals("BASE"));
    }
}
