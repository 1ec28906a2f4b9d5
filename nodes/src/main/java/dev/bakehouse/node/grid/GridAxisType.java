package dev.bakehouse.node.grid;

import dev.bakehouse.grid.AxisValues;
import dev.bakehouse.lora.ops.LoraBlockWeights;
import dev.bakehouse.model.sampling.SamplerName;
import dev.bakehouse.model.sampling.SigmaScheduler;
import dev.bakehouse.model.sampling.Seed;
import dev.bakehouse.node.lora.LoraValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a grid axis varies, with A1111 X/Y/Z plot names as the combo options. {@link #parse} turns
 * the typed values ({@link AxisValues} syntax) into settings changes; every error names the axis.
 */
enum GridAxisType {
    NONE("Nothing"),
    /** The connected LORA list: empty text = every LoRA in order; else names, 1-based indices or "none". */
    LORA("LoRA"),
    /** UNet and text-encoder strength together. */
    STRENGTH("Strength"),
    UNET_STRENGTH("UNet strength"),
    TE_STRENGTH("TE strength"),
    /** LBW presets or 17/26-value vectors, separated by ';' or new lines (vectors hold commas). */
    BLOCK_WEIGHT("Block weight"),
    /** A1111's "Prompt S/R": the first value is the text to find, every value replaces it. */
    PROMPT_SR("Prompt S/R"),
    SEED("Seed"),
    CFG("CFG Scale"),
    STEPS("Steps"),
    SAMPLER("Sampler"),
    SCHEDULER("Scheduler");

    private final String title;

    GridAxisType(String title) {
        this.title = title;
    }

    String title() {
        return title;
    }

    /** Combo options, in declaration order. */
    static List<String> titles() {
        return Arrays.stream(values()).map(GridAxisType::title).toList();
    }

    static GridAxisType fromTitle(String axis, String title) {
        for (GridAxisType t : values()) {
            if (t.title.equalsIgnoreCase(title.strip())) {
                return t;
            }
        }
        throw new IllegalArgumentException(axis + " axis: unknown type '" + title + "', expected one of " + titles());
    }

    /** Whether this type changes the LoRA or its strengths, so it needs a LoRA to mean anything. */
    boolean needsLora() {
        return this == STRENGTH || this == UNET_STRENGTH || this == TE_STRENGTH || this == BLOCK_WEIGHT;
    }

    /** Whether two axes of these types would set the same setting. */
    boolean overlaps(GridAxisType other) {
        if (this == NONE || other == NONE) {
            return false;
        }
        if (this == other) {
            return true;
        }
        return this == STRENGTH && (other == UNET_STRENGTH || other == TE_STRENGTH)
                || other == STRENGTH && (this == UNET_STRENGTH || this == TE_STRENGTH);
    }

    /**
     * @param name  "X", "Y" or "Z", for errors
     * @param text  the typed values
     * @param loras the connected LORA values (for {@link #LORA})
     * @param base  the settings without any axis (Prompt S/R checks the prompts hold the search text)
     */
    GridAxis parse(String name, String text, List<LoraValue> loras, CellSettings base) {
        if (this == NONE) {
            return GridAxis.unused(name);
        }
        String axis = GridAxis.describe(name, this);
        List<GridAxis.Value> values = switch (this) {
            case LORA -> loraValues(axis, text, loras);
            case STRENGTH -> AxisValues.doubles(axis, text).stream().map(v -> new GridAxis.Value(number(v),
                    s -> s.withStrengths(v.floatValue(), v.floatValue()))).toList();
            case UNET_STRENGTH -> AxisValues.doubles(axis, text).stream().map(v -> new GridAxis.Value(number(v),
                    s -> s.withStrengths(v.floatValue(), s.textStrength()))).toList();
            case TE_STRENGTH -> AxisValues.doubles(axis, text).stream().map(v -> new GridAxis.Value(number(v),
                    s -> s.withStrengths(s.unetStrength(), v.floatValue()))).toList();
            case BLOCK_WEIGHT -> blockWeightValues(axis, text);
            case PROMPT_SR -> promptValues(axis, text, base);
            case SEED -> AxisValues.longs(axis, text).stream().map(v -> {
                Seed seed = seed(axis, v);
                return new GridAxis.Value(seed.toString(), s -> s.withSampling(seed, s.steps(), s.cfg(), s.sampler(),
                        s.scheduler()));
            }).toList();
            case CFG -> AxisValues.doubles(axis, text).stream().map(v -> new GridAxis.Value(number(v),
                    s -> s.withSampling(s.seed(), s.steps(), v, s.sampler(), s.scheduler()))).toList();
            case STEPS -> AxisValues.longs(axis, text).stream().map(v -> {
                int steps = steps(axis, v);
                return new GridAxis.Value(Integer.toString(steps), s -> s.withSampling(s.seed(), steps, s.cfg(),
                        s.sampler(), s.scheduler()));
            }).toList();
            case SAMPLER -> AxisValues.strings(axis, text).stream().map(v -> {
                SamplerName sampler = named(axis, v, Arrays.stream(SamplerName.values()).map(SamplerName::comfyName).toList(),
                        SamplerName::fromComfyName);
                return new GridAxis.Value(sampler.comfyName(), s -> s.withSampling(s.seed(), s.steps(), s.cfg(), sampler,
                        s.scheduler()));
            }).toList();
            case SCHEDULER -> AxisValues.strings(axis, text).stream().map(v -> {
                SigmaScheduler scheduler = named(axis, v, Arrays.stream(SigmaScheduler.values()).map(SigmaScheduler::comfyName).toList(),
                        SigmaScheduler::fromComfyName);
                return new GridAxis.Value(scheduler.comfyName(), s -> s.withSampling(s.seed(), s.steps(), s.cfg(),
                        s.sampler(), scheduler));
            }).toList();
            case NONE -> throw new AssertionError();
        };
        if (values.isEmpty()) {
            throw new IllegalArgumentException(axis + ": no values in '" + text + "'");
        }
        return new GridAxis(name, this, text, values);
    }

    private static List<GridAxis.Value> loraValues(String axis, String text, List<LoraValue> loras) {
        if (text.isBlank()) {
            if (loras.isEmpty()) {
                throw new IllegalArgumentException(axis + ": no LORA is connected to the lora input");
            }
            return loras.stream().map(l -> new GridAxis.Value(label(l), s -> s.withLora(l))).toList();
        }
        List<GridAxis.Value> values = new ArrayList<>();
        for (String item : AxisValues.strings(axis, text)) {
            LoraValue lora = item.equalsIgnoreCase("none") ? null : findLora(axis, item, loras);
            values.add(new GridAxis.Value(lora == null ? "none" : label(lora), s -> s.withLora(lora)));
        }
        return values;
    }

    private static LoraValue findLora(String axis, String item, List<LoraValue> loras) {
        if (item.matches("\\d+")) {
            int index = Integer.parseInt(item);
            if (index < 1 || index > loras.size()) {
                throw new IllegalArgumentException(axis + ": LoRA number " + index + " is outside 1.." + loras.size()
                        + " (the connected LORA values)");
            }
            return loras.get(index - 1);
        }
        for (LoraValue l : loras) {
            if (l.name().equals(item) || label(l).equals(item)) {
                return l;
            }
        }
        throw new IllegalArgumentException(axis + ": no connected LoRA is called '" + item + "'; connected: "
                + loras.stream().map(LoraValue::name).toList() + " (or use 1-based numbers, or 'none')");
    }

    /** The LoRA's name without the {@code .safetensors} ending, which every one of them has. */
    static String label(LoraValue lora) {
        String name = lora.name();
        return name.toLowerCase(Locale.ROOT).endsWith(".safetensors")
                ? name.substring(0, name.length() - ".safetensors".length()) : name;
    }

    private static List<GridAxis.Value> blockWeightValues(String axis, String text) {
        List<GridAxis.Value> values = new ArrayList<>();
        for (String item : AxisValues.lines(axis, text)) {
            LoraBlockWeights weights;
            try {
                weights = LoraBlockWeights.parse(item);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(axis + ": " + e.getMessage()
                        + " (separate vectors with ';' or new lines, since a vector holds commas)", e);
            }
            values.add(new GridAxis.Value(item, s -> s.withBlockWeights(weights, item)));
        }
        return values;
    }

    private static List<GridAxis.Value> promptValues(String axis, String text, CellSettings base) {
        List<String> items = AxisValues.strings(axis, text);
        if (items.isEmpty()) {
            throw new IllegalArgumentException(axis + ": no values in '" + text + "'");
        }
        String search = items.get(0);
        if (!base.positive().contains(search) && !base.negative().contains(search)) {
            throw new IllegalArgumentException(axis + ": the first value '" + search
                    + "' (the text to replace) is in neither the positive nor the negative prompt");
        }
        return items.stream().map(replacement -> new GridAxis.Value(replacement, s -> s.withPrompts(
                s.positive().replace(search, replacement), s.negative().replace(search, replacement)))).toList();
    }

    private static Seed seed(String axis, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(axis + ": seed " + value + " is negative; seeds are 0.."
                    + Seed.MAX + " (a random seed -1 is not supported: cells must share known seeds)");
        }
        return Seed.of(value);
    }

    private static int steps(String axis, long value) {
        if (value < 1 || value > 10000) {
            throw new IllegalArgumentException(axis + ": " + value + " steps is outside 1..10000");
        }
        return (int) value;
    }

    private static <T> T named(String axis, String value, List<String> options, java.util.function.Function<String, T> byName) {
        for (String option : options) {
            if (option.equalsIgnoreCase(value)) {
                return byName.apply(option);
            }
        }
        throw new IllegalArgumentException(axis + ": unknown value '" + value + "', expected one of " + options);
    }

    /** A number as people write it: 1, 0.5, -0.25 (no trailing zeros, no exponent). */
    static String number(double v) {
        BigDecimal d = BigDecimal.valueOf(v).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}
