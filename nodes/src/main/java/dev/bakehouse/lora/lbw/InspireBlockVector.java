package dev.bakehouse.lora.lbw;

import dev.bakehouse.lora.format.KohyaModuleNames;
import dev.bakehouse.lora.format.LbwBlock;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.lbw.LbwEntry.Context;
import dev.bakehouse.lora.lbw.LbwEntry.Dialect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Inspire pack's reading of a {@code block_vector} (ComfyUI-Inspire-Pack LoraLoaderBlockWeight):
 * the first entry is BASE (text encoder, and UNet modules outside the blocks); the next entries go,
 * in order, to the UNet blocks <em>the LoRA has modules in</em> — input blocks by number, then the
 * middle block's parts ({@code middle_block.0/.1/.2} each get their own entry), then output blocks.
 * So a plain SD1 LoRA takes 17 entries (the extension's 17 order) and a LoCon 27 (11 input, 3
 * middle, 12 output). Missing entries repeat the last one; extra entries are ignored. A leading
 * {@code NAME:} is dropped; a text that is no vector of at least 12 entries is looked up as a
 * preset name. {@code inverse} turns every ratio r into 1 − r.
 *
 * A text starting with {@code %} is Inspire's block spec ({@link PercentSpec}).
 *
 * <p>Not supported (refused with a message): per-layer sub-vectors ({@code "1 0 0.5"} inside one
 * entry, which Inspire assigns in its internal key order).
 * Random draws use {@code seed} but not numpy's generator, so {@code R}/{@code U} values differ
 * from Inspire's for the same seed.
 */
public final class InspireBlockVector {
    private static final Pattern MID_RESNET = Pattern.compile("lora_unet_mid_block_resnets_(\\d+)_.*");
    private static final Pattern MID_LDM = Pattern.compile("lora_unet_middle_block_(\\d+)_.*");

    /** Inspire's block slots in its order; {@code part} tells the middle block's parts apart. */
    record Slot(LbwBlock block, int part) implements Comparable<Slot> {
        @Override
        public int compareTo(Slot o) {
            return block != o.block ? block.compareTo(o.block) : Integer.compare(part, o.part);
        }
    }

    /**
     * @param moduleRatios    every module of the LoRA and its ratio (before strengths)
     * @param populatedVector the ratios used, BASE first, one per slot that got an entry, as Inspire's
     *                        {@code populated_vector} output prints them ({@code 1}, {@code 0}, {@code 0.5})
     */
    public record Result(Map<String, Float> moduleRatios, String populatedVector) {
        /**
         * The LoRA split into one network per distinct ratio (modules at ratio 0 left out): applying
         * each at strength x its ratio equals applying the LoRA with these per-module ratios, without
         * copying a tensor.
         */
        public Map<Float, LoraNetwork> networksByRatio(LoraNetwork network) {
            Map<Float, Map<String, LoraModule>> groups = new LinkedHashMap<>();
            moduleRatios.forEach((name, ratio) -> {
                if (ratio != 0f) {
                    groups.computeIfAbsent(ratio, k -> new LinkedHashMap<>()).put(name, network.module(name));
                }
            });
            Map<Float, LoraNetwork> out = new LinkedHashMap<>();
            groups.forEach((ratio, modules) -> out.put(ratio,
                    new LoraNetwork(modules, network.metadata(), List.of(), network.styles())));
            return out;
        }
    }

    private InspireBlockVector() {}

    /**
     * @throws IllegalArgumentException for a text that is neither a vector nor a preset, or uses
     *                                  syntax this reading does not support
     */
    public static Result apply(LoraNetwork network, String blockVector, LbwPresets presets, boolean inverse,
            RandomGenerator random, float a, float b) {
        TreeMap<Slot, List<String>> slots = new TreeMap<>();
        List<String> others = new ArrayList<>();
        for (String module : network.modules().keySet()) {
            LbwBlock block = KohyaModuleNames.blockOfModuleName(module).orElse(LbwBlock.BASE);
            if (block == LbwBlock.BASE) {
                others.add(module);
            } else {
                slots.computeIfAbsent(new Slot(block, block == LbwBlock.M00 ? middlePart(module) : 0),
                        k -> new ArrayList<>()).add(module);
            }
        }
        String text = blockVector.strip();
        LbwVector vector = text.startsWith("%")
                ? LbwVector.parse(PercentSpec.expand(text, slots.keySet()), Dialect.INSPIRE, "block_vector " + text)
                : parse(text, presets);
        Context context = new Context(Dialect.INSPIRE, random, 1f, a, b);
        List<String> populated = new ArrayList<>();
        Map<String, Float> ratios = new LinkedHashMap<>();
        int next = 1;
        float ratio = 1f;
        for (List<String> modules : slots.values()) {
            if (next < vector.size()) {
                ratio = applyInverse(vector.entries().get(next++).resolve(context), inverse);
                populated.add(format(ratio));
            }
            for (String m : modules) {
                ratios.put(m, ratio);
            }
        }
        // Inspire draws BASE after the blocks, so R/U in it consume the generator last.
        float base = applyInverse(vector.entries().get(0).resolve(context), inverse);
        populated.add(0, format(base));
        for (String m : others) {
            ratios.put(m, base);
        }
        return new Result(ratios, String.join(",", populated));
    }

    /** The vector a {@code block_vector} text stands for, without resolving its letters. */
    static LbwVector parse(String blockVector, LbwPresets presets) {
        String text = blockVector.strip();
        int colon = text.indexOf(':');
        String body = colon >= 0 ? text.substring(colon + 1).strip() : text;
        String[] parts = body.split(",", -1);
        boolean vectorLike = parts.length >= LbwPresets.MIN_ENTRIES;
        if (vectorLike) {
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].strip().contains(" ")) {
                    throw new IllegalArgumentException("block_vector entry " + (i + 1) + " ('" + parts[i].strip()
                            + "'): per-layer sub-vectors are not supported; give one value per block");
                }
            }
            return LbwVector.parse(body, Dialect.INSPIRE, "block_vector");
        }
        String name = parts[0].strip();
        String preset = presets.vector(name).orElseThrow(() -> new IllegalArgumentException("block_vector '" + text
                + "': not a vector of at least " + LbwPresets.MIN_ENTRIES + " values and not a preset; known presets: "
                + String.join(", ", presets.names())));
        return LbwVector.parse(preset, Dialect.INSPIRE, "block_vector (preset " + name + ")");
    }

    private static int middlePart(String module) {
        if (module.startsWith("lora_unet_mid_block_attentions_")) {
            return 1;
        }
        Matcher r = MID_RESNET.matcher(module);
        if (r.matches()) {
            return Integer.parseInt(r.group(1)) == 0 ? 0 : 2;
        }
        Matcher l = MID_LDM.matcher(module);
        return l.matches() ? Integer.parseInt(l.group(1)) : 1;
    }

    private static float applyInverse(float r, boolean inverse) {
        return inverse ? 1f - r : r;
    }

    /** Python's str() of Inspire's norm_value: 1 and 0 as integers, other values as floats. */
    static String format(float r) {
        if (r == 1f || r == 0f) {
            return Integer.toString((int) r);
        }
        return Float.toString(r);
    }
}
