package dev.bakehouse.lora.lbw;

import dev.bakehouse.lora.lbw.LbwEntry.Context;
import dev.bakehouse.lora.lbw.LbwEntry.Dialect;
import dev.bakehouse.lora.ops.LoraBlockWeights;
import dev.bakehouse.model.tokenizer.ExtraNetworkTags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One {@code <lora:…>} (or {@code <lyco:…>}) tag read as AUTOMATIC1111 with the LoRA Block Weight
 * extension reads it. Positional items after the name: text encoder multiplier, then UNet
 * multiplier (default: the text encoder's), then the {@code X} value. A non-numeric second item is
 * the extension's old form {@code <lora:name:1:PRESET>} (a preset name or vector in the UNet slot,
 * which A1111 1.5+ rejects): it is read as the block weights and the UNet multiplier stays the text
 * encoder's. Named items: {@code te=}, {@code unet=}, {@code lbw=} (alias {@code w=}), {@code x=}.
 * Items Bakehouse cannot honour are refused with the reason: {@code start=}/{@code stop=}/
 * {@code step=} (switching a LoRA on or off mid-sampling), {@code lbwe=} (elemental weights),
 * {@code dyn=} (DyLoRA rank).
 *
 * @param lbw the block weight preset name or vector as written, null for none
 * @param x   the value of {@code X} entries (1 when not given, as in the extension)
 */
public record LoraPromptTag(String name, float te, float unet, String lbw, float x, String text) {
    private static final Set<String> TYPES = Set.of("lora", "lyco");
    private static final Map<String, String> REFUSED = Map.of(
            "start", "switching a LoRA on at a step is not supported",
            "stop", "switching a LoRA off at a step is not supported",
            "step", "switching a LoRA on/off at steps is not supported",
            "lbwe", "elemental block weights (lbwe=) are not supported",
            "dyn", "DyLoRA dimensions (dyn=) are not supported");

    /**
     * A LoRA to apply, resolved.
     *
     * @param blockWeights null when the tag has none (every block 1)
     */
    public record Resolved(String name, float unet, float te, LoraBlockWeights blockWeights) {}

    /** Whether A1111 treats a tag of this type as a LoRA. */
    public static boolean isLora(ExtraNetworkTags.Tag tag) {
        return TYPES.contains(tag.type().toLowerCase(Locale.ROOT));
    }

    /** @throws IllegalArgumentException naming the tag and the item it cannot use */
    public static LoraPromptTag parse(ExtraNetworkTags.Tag tag) {
        String where = "prompt tag " + tag.text();
        List<String> items = tag.items();
        String name = items.get(0).strip();
        if (name.isEmpty()) {
            throw new IllegalArgumentException(where + ": no LoRA name");
        }
        List<String> positional = new ArrayList<>();
        Map<String, String> named = new LinkedHashMap<>();
        for (String item : items.subList(1, items.size())) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                positional.add(item.strip());
                continue;
            }
            String key = item.substring(0, eq).strip();
            if (REFUSED.containsKey(key)) {
                throw new IllegalArgumentException(where + ": '" + item.strip() + "': " + REFUSED.get(key)
                        + "; remove it");
            }
            if (!Set.of("te", "unet", "lbw", "w", "x").contains(key)) {
                throw new IllegalArgumentException(where + ": unknown item '" + item.strip()
                        + "'; expected te=, unet=, lbw= (or w=), x=");
            }
            if (named.put(key.equals("w") ? "lbw" : key, item.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException(where + ": " + key + "= given twice");
            }
        }
        String lbw = named.get("lbw");
        float te = number(named.containsKey("te") ? named.get("te") : positional.isEmpty() ? "1" : positional.get(0),
                where, "text encoder multiplier");
        String unetText = named.get("unet");
        String xText = named.get("x");
        if (positional.size() > 1) {
            String second = positional.get(1);
            if (isNumber(second)) {
                unetText = unetText == null ? second : unetText;
            } else if (lbw == null) {
                lbw = second; // the extension's old form <lora:name:1:PRESET>
            } else {
                throw new IllegalArgumentException(where + ": '" + second + "' is not a UNet multiplier, and lbw= "
                        + "already sets the block weights");
            }
        }
        if (positional.size() > 2) {
            if (lbw == null || !lbw.contains("X") || xText != null) {
                throw new IllegalArgumentException(where + ": fourth item '" + positional.get(2) + "' is A1111's "
                        + "DyLoRA dimension, which is not supported (it is only read as the X value of a block "
                        + "weight vector with X entries)");
            }
            xText = positional.get(2);
        }
        if (positional.size() > 3) {
            throw new IllegalArgumentException(where + ": too many items; expected <lora:name:te:unet:lbw=…>");
        }
        float unet = unetText == null ? te : number(unetText, where, "UNet multiplier");
        float x = xText == null ? 1f : number(xText, where, "x");
        return new LoraPromptTag(name, te, unet, lbw, x, tag.text());
    }

    /**
     * The multipliers and block weights, presets looked up in {@code presets} and {@code R}/{@code U}
     * entries drawn from {@code random}.
     */
    public Resolved resolve(LbwPresets presets, RandomGenerator random) {
        if (lbw == null) {
            return new Resolved(name, unet, te, null);
        }
        String what = "prompt tag " + text + " block weights";
        LbwVector vector = presets.parse(lbw, Dialect.EXTENSION, what);
        return new Resolved(name, unet, te, vector.blockWeights(new Context(Dialect.EXTENSION, random, x, 0f, 0f), what));
    }

    private static boolean isNumber(String s) {
        return LbwEntry.NUMBER.matcher(s.strip()).matches();
    }

    private static float number(String s, String where, String what) {
        if (!isNumber(s)) {
            throw new IllegalArgumentException(where + ": " + what + " '" + s + "' is not a number");
        }
        return Float.parseFloat(s.strip());
    }
}
