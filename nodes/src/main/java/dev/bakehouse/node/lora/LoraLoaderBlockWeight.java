package dev.bakehouse.node.lora;

import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.lbw.InspireBlockVector;
import dev.bakehouse.lora.lbw.LbwPresets;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.BooleanInput;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.node.sd.ClipValue;
import dev.bakehouse.node.sd.FileVersion;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * {@code LoraLoaderBlockWeight}: the Inspire pack's node of that name (class
 * {@code LoraLoaderBlockWeight //Inspire} in ComfyUI), with its inputs in its order, so its widget
 * values carry over: a LoRA from {@code models/loras} at {@code strength_model}/{@code strength_clip}
 * times a per-block ratio from {@code block_vector}, read as Inspire reads it
 * ({@link InspireBlockVector}: entries go to the blocks the LoRA has; A, B, R, U letters;
 * {@code inverse}; {@code seed} for R/U). Outputs MODEL, CLIP and {@code populated_vector}.
 *
 * <p>Differences: {@code category_filter} only narrows the list in Inspire's UI and is ignored here;
 * Inspire's UI copies the chosen {@code preset} into {@code block_vector} — here a blank
 * {@code block_vector} takes the preset's vector, and the preset list also holds the LoRA Block
 * Weight extension's presets and the user files' ({@code <data-dir>/lbw/presets.txt}). R/U draws
 * differ from numpy's for the same seed; per-layer sub-vectors are refused.
 */
public final class LoraLoaderBlockWeight implements Node {
    public static final String NAME = "LoraLoaderBlockWeight";
    static final String NO_PRESET = "Preset";
    static final String ALL = "All";

    private final DataDirs dirs;
    private final ModelCache cache;
    private final NodeSpec spec;

    public LoraLoaderBlockWeight(DataDirs dirs, ModelCache cache) {
        this.dirs = dirs;
        this.cache = cache;
        this.spec = NodeSpec.builder(NAME)
                .displayName("Lora Loader (Block Weight)")
                .category("bakehouse/lora")
                .description("Applies a LoRA with a weight per UNet block, from a vector typed as for the Inspire "
                        + "pack's LoraLoaderBlockWeight or a preset.")
                .required(SocketInput.of("model", DataType.MODEL),
                        SocketInput.of("clip", DataType.CLIP),
                        ComboInput.dynamic("category_filter", this::categories)
                                .withTooltip("Narrows the LoRA list in Inspire's UI; not used when running."),
                        ComboInput.dynamic("lora_name", () -> dirs.listModels(DataDirs.LORAS)),
                        FloatInput.of("strength_model", 1.0, -10.0, 10.0).withStep(0.01),
                        FloatInput.of("strength_clip", 1.0, -10.0, 10.0).withStep(0.01),
                        BooleanInput.of("inverse", false).withLabels("True", "False")
                                .withTooltip("Apply the following weights for each block:\nTrue: 1 - weight\nFalse: weight"),
                        IntInput.seed("seed").withTooltip("Draws the R and U entries."),
                        FloatInput.of("A", 4.0, -10.0, 10.0).withStep(0.01),
                        FloatInput.of("B", 1.0, -10.0, 10.0).withStep(0.01),
                        ComboInput.dynamic("preset", this::presetLines)
                                .withTooltip("Used when block_vector is empty."),
                        StringInput.of("block_vector", "1,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1").withMultiline()
                                .withTooltip("BASE, then one value per UNet block the LoRA has (17 for a LoRA, 27 for "
                                        + "a LoCon); numbers, R, U, A, a, B, b; or a preset name."),
                        BooleanInput.of("bypass", false).withLabels("True", "False"))
                .output(OutputSpec.of(DataType.MODEL, "model"))
                .output(OutputSpec.of(DataType.CLIP, "clip"))
                .output(OutputSpec.of(DataType.STRING, "populated_vector")
                        .withTooltip("The ratio each block got, BASE first."))
                .build();
    }

    private List<String> categories() {
        TreeSet<String> dirsOfLoras = new TreeSet<>();
        for (String name : dirs.listModels(DataDirs.LORAS)) {
            dirsOfLoras.add(name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "");
        }
        List<String> out = new ArrayList<>(List.of(ALL));
        out.addAll(dirsOfLoras);
        return out;
    }

    private List<String> presetLines() {
        LbwPresets presets = LbwSources.presets(dirs);
        List<String> out = new ArrayList<>(List.of(NO_PRESET));
        for (String name : presets.names()) {
            out.add(name + ":" + presets.vector(name).orElseThrow());
        }
        return out;
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        ModelValue model = inputs.get("model", ModelValue.class);
        ClipValue clip = inputs.get("clip", ClipValue.class);
        float strengthModel = inputs.getFloat("strength_model");
        float strengthClip = inputs.getFloat("strength_clip");
        if (strengthModel == 0f && strengthClip == 0f || inputs.getBoolean("bypass")) {
            return NodeResult.of(model, clip, "");
        }
        String name = inputs.getString("lora_name");
        Path file = dirs.resolveModel(DataDirs.LORAS, name);
        LoraNetwork network = cache.lora(FileVersion.of(file));
        model.checkpoint().checkFits(LoraApplication.of(file.toString(), network, 1f));
        String vector = inputs.getString("block_vector");
        String preset = inputs.getString("preset");
        if (vector.isBlank() && !preset.equals(NO_PRESET)) {
            vector = preset;
        }
        InspireBlockVector.Result result = InspireBlockVector.apply(network, vector, LbwSources.presets(dirs),
                inputs.getBoolean("inverse"), new SplittableRandom(inputs.getSeed("seed").bits()),
                inputs.getFloat("A"), inputs.getFloat("B"));
        ModelValue outModel = model;
        ClipValue outClip = clip;
        for (Map.Entry<Float, LoraNetwork> part : result.networksByRatio(network).entrySet()) {
            float ratio = part.getKey();
            if (strengthModel != 0f) {
                outModel = outModel.withLora(new LoraApplication(name, part.getValue(), strengthModel * ratio, 0f, null));
            }
            if (strengthClip != 0f) {
                outClip = outClip.withLora(new LoraApplication(name, part.getValue(), 0f, strengthClip * ratio, null));
            }
        }
        return NodeResult.of(outModel, outClip, result.populatedVector());
    }

    @Override
    public Object fingerprint(NodeInputs literalInputs) {
        List<Object> versions = new ArrayList<>(LbwSources.presetVersions(dirs));
        versions.add(FileVersion.of(dirs.resolveModel(DataDirs.LORAS, literalInputs.getString("lora_name"))));
        return versions;
    }
}
