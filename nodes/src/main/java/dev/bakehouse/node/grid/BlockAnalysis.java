package dev.bakehouse.node.grid;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.image.PngMetadataJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The numbers of an effective-block analysis of one LoRA: how far the image moves when each LBW
 * block is switched off (all others on) and when it alone is on, measured against the full-LoRA
 * image and against the base (no LoRA) image. Changes are mean absolute differences: of the
 * sampled latents (VAE space) and of the decoded pixels (0..1 scale).
 *
 * @param lora     the LoRA's name
 * @param total    full LoRA vs base: the whole effect
 * @param blocks   one row per block the LoRA has modules in, in LBW order (BASE, IN00…, M00, OUT00…)
 * @param unplaced modules outside every block (applied at full strength in every image)
 */
record BlockAnalysis(String lora, Change total, List<BlockEffect> blocks, List<String> unplaced) {
    /** A block counts as carrying the LoRA when switching it off removes at least this share of the total. */
    static final double CARRIER_SHARE = 0.05;

    /** Mean absolute change of the latent and of the pixels. */
    record Change(double latent, double pixel) {}

    /**
     * @param off   the image with this block off, others on
     * @param alone the image with only this block on
     */
    record BlockEffect(String block, int modules, Change offVsFull, Change offVsBase, Change aloneVsFull,
            Change aloneVsBase) {

        /** Share of the whole latent effect that switching this block off removes. */
        double share(Change total) {
            return total.latent() == 0 ? 0 : offVsFull.latent() / total.latent();
        }
    }

    BlockAnalysis {
        blocks = List.copyOf(blocks);
        unplaced = List.copyOf(unplaced);
    }

    /** The blocks whose removal takes away at least {@link #CARRIER_SHARE} of the effect, largest first. */
    List<BlockEffect> carriers() {
        List<BlockEffect> out = new ArrayList<>();
        for (BlockEffect b : blocks) {
            if (b.share(total) >= CARRIER_SHARE) {
                out.add(b);
            }
        }
        out.sort(Comparator.comparingDouble((BlockEffect b) -> b.offVsFull().latent()).reversed());
        return out;
    }

    private static final String[] COLUMNS = {"block", "modules", "share",
        "off_vs_full_latent", "off_vs_full_pixel", "off_vs_base_latent", "off_vs_base_pixel",
        "alone_vs_full_latent", "alone_vs_full_pixel", "alone_vs_base_latent", "alone_vs_base_pixel"};

    /** An aligned table for people, with a summary line naming the carrying blocks. */
    String toText() {
        StringBuilder out = new StringBuilder();
        out.append("LoRA block analysis of ").append(lora).append('\n');
        out.append(String.format(Locale.ROOT, "full LoRA vs base: latent %.6f, pixel %.6f (mean absolute change)%n",
                total.latent(), total.pixel()));
        out.append("off = this block at 0, others at 1; alone = only this block at 1; share = off_vs_full_latent / "
                + "full-vs-base latent\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(COLUMNS);
        for (BlockEffect b : blocks) {
            rows.add(row(b, "%.6f"));
        }
        int[] widths = new int[COLUMNS.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                out.append(i == 0 ? String.format("%-" + widths[i] + "s", r[i]) : String.format("  %" + widths[i] + "s", r[i]));
            }
            out.append('\n');
        }
        List<BlockEffect> carriers = carriers();
        out.append("carried by: ");
        out.append(carriers.isEmpty() ? "no block (the LoRA changes nothing here)"
                : String.join(", ", carriers.stream().map(b -> String.format(Locale.ROOT, "%s (%.0f%%)", b.block(),
                        100 * b.share(total))).toList()));
        out.append('\n');
        if (!unplaced.isEmpty()) {
            out.append("modules in no block (always on): ").append(unplaced).append('\n');
        }
        return out.toString();
    }

    /** One header line and one line per block; full precision. */
    String toCsv() {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (BlockEffect b : blocks) {
            out.append(String.join(",", row(b, "%.9g"))).append('\n');
        }
        return out.toString();
    }

    String toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("lora", lora);
        root.set("full_vs_base", change(total));
        ArrayNode rows = root.putArray("blocks");
        for (BlockEffect b : blocks) {
            ObjectNode r = rows.addObject();
            r.put("block", b.block());
            r.put("modules", b.modules());
            r.put("share", b.share(total));
            r.set("off_vs_full", change(b.offVsFull()));
            r.set("off_vs_base", change(b.offVsBase()));
            r.set("alone_vs_full", change(b.aloneVsFull()));
            r.set("alone_vs_base", change(b.aloneVsBase()));
        }
        ArrayNode carriers = root.putArray("carriers");
        carriers().forEach(b -> carriers.add(b.block()));
        ArrayNode loose = root.putArray("modules_in_no_block");
        unplaced.forEach(loose::add);
        return PngMetadataJson.toText(root);
    }

    private String[] row(BlockEffect b, String format) {
        return new String[] {b.block(), Integer.toString(b.modules()), String.format(Locale.ROOT, "%.3f", b.share(total)),
            f(format, b.offVsFull().latent()), f(format, b.offVsFull().pixel()),
            f(format, b.offVsBase().latent()), f(format, b.offVsBase().pixel()),
            f(format, b.aloneVsFull().latent()), f(format, b.aloneVsFull().pixel()),
            f(format, b.aloneVsBase().latent()), f(format, b.aloneVsBase().pixel())};
    }

    private static String f(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }

    private static ObjectNode change(Change c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("latent", c.latent());
        o.put("pixel", c.pixel());
        return o;
    }
}
