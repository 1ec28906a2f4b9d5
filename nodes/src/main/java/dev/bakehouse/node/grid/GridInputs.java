package dev.bakehouse.node.grid;

import dev.bakehouse.model.sampling.SamplerName;
import dev.bakehouse.model.sampling.SigmaScheduler;
import dev.bakehouse.model.sampling.Seed;
import dev.bakehouse.node.InputSpec;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.sd.EmptyLatentImage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sampling inputs SampleGrid and LoraBlockAnalysis share (KSampler's widgets, prompts as
 * text, the image size), and reading them from a list node ({@code INPUT_IS_LIST}: every input
 * arrives as a list; a widget's list holds its one value).
 */
final class GridInputs {
    private GridInputs() {}

    static InputSpec[] sampling() {
        return new InputSpec[] {
            StringInput.of("positive", "").withMultiline().withTooltip("The prompt of every cell (Prompt S/R edits it)."),
            StringInput.of("negative", "").withMultiline().withTooltip("The negative prompt of every cell."),
            IntInput.of("width", 512, 16, EmptyLatentImage.MAX_RESOLUTION).withStep(EmptyLatentImage.LATENT_FACTOR)
                    .withTooltip("Cell width in pixels."),
            IntInput.of("height", 512, 16, EmptyLatentImage.MAX_RESOLUTION).withStep(EmptyLatentImage.LATENT_FACTOR)
                    .withTooltip("Cell height in pixels."),
            IntInput.seed("seed").withTooltip("The seed every cell shares, so cells differ only by their axis values."),
            IntInput.of("steps", 20, 1, 10000),
            FloatInput.of("cfg", 8.0, 0.0, 100.0).withStep(0.1).withRound(0.01),
            ComboInput.of("sampler_name", Arrays.stream(SamplerName.values()).map(SamplerName::comfyName).toList()),
            ComboInput.of("scheduler", Arrays.stream(SigmaScheduler.values()).map(SigmaScheduler::comfyName).toList())
        };
    }

    /** The inputs of several groups in order, for {@code NodeSpec.Builder#required}. */
    static InputSpec[] concat(InputSpec[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(InputSpec[]::new);
    }

    /**
     * The inputs of a list node with each one-value list unwrapped, so widgets read as in any
     * node; {@code listInput} (the LORA list) is left out: read it with {@link NodeInputs#getList}.
     *
     * @throws IllegalArgumentException when another input holds more or fewer than one value
     */
    static NodeInputs singles(NodeInputs inputs, String owner, String listInput) {
        Map<String, Object> values = new LinkedHashMap<>();
        inputs.asMap().forEach((name, value) -> {
            if (name.equals(listInput)) {
                return;
            }
            if (!(value instanceof List<?> list)) {
                values.put(name, value);
            } else if (list.size() == 1) {
                values.put(name, list.get(0));
            } else {
                throw new IllegalArgumentException(owner + ": input '" + name + "' takes one value, found a list of "
                        + list.size() + " (only '" + listInput + "' takes a list)");
            }
        });
        return new NodeInputs(owner, values);
    }

    /** Base cell settings from the sampling widgets, no LoRA. */
    static CellSettings baseSettings(NodeInputs one) {
        Seed seed = one.getSeed("seed");
        return new CellSettings(null, 1f, 1f, null, "", one.getString("positive"), one.getString("negative"), seed,
                one.getInt("steps"), one.getDouble("cfg"), SamplerName.fromComfyName(one.getString("sampler_name")),
                SigmaScheduler.fromComfyName(one.getString("scheduler")));
    }
}
