package dev.bakehouse.node.lora;

import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.lbw.LbwPresets;
import dev.bakehouse.lora.lbw.LoraPromptTag;
import dev.bakehouse.model.tokenizer.ExtraNetworkTags;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
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
import java.util.SplittableRandom;

/**
 * {@code LoraFromPrompt}: a prompt written for AUTOMATIC1111, {@code <lora:…>} tags included, turned
 * into a MODEL and CLIP with those LoRAs applied and the prompt without the tags, ready for
 * CLIPTextEncode. Tags are read as A1111 with the LoRA Block Weight extension reads them
 * ({@link LoraPromptTag}): {@code <lora:name:te:unet>}, {@code lbw=PRESET}, {@code lbw=1,0,…}, the
 * old {@code <lora:name:1:PRESET>}, {@code x=}; LoRAs are found in {@code models/loras} by file
 * stem; presets come from the built-in lists and {@code <data-dir>/lbw/presets.txt} (plus an A1111
 * or ComfyUI install's preset file). Every tag is checked (name, syntax, preset, fit to the model)
 * before the first LoRA is applied.
 */
public final class LoraFromPrompt implements Node {
    public static final String NAME = "LoraFromPrompt";

    private final DataDirs dirs;
    private final ModelCache cache;
    private final NodeSpec spec;

    public LoraFromPrompt(DataDirs dirs, ModelCache cache) {
        this.dirs = dirs;
        this.cache = cache;
        this.spec = NodeSpec.builder(NAME)
                .displayName("LoRA from Prompt (A1111 tags)")
                .category("bakehouse/lora")
                .description("Applies the <lora:name:weight> tags of an A1111-style prompt (with LoRA Block Weight "
                        + "lbw= presets or vectors) to the model and CLIP, and returns the prompt without the tags.")
                .required(SocketInput.of("model", DataType.MODEL),
                        SocketInput.of("clip", DataType.CLIP),
                        StringInput.of("text", "").withMultiline().withDynamicPrompts()
                                .withTooltip("The prompt, with <lora:name:te:unet:lbw=PRESET> tags."),
                        IntInput.seed("seed").withTooltip("Draws the R and U entries of block weight vectors."))
                .output(OutputSpec.of(DataType.MODEL))
                .output(OutputSpec.of(DataType.CLIP))
                .output(OutputSpec.of(DataType.STRING, "text").withTooltip("The prompt without the LoRA tags."))
                .build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        ModelValue model = inputs.get("model", ModelValue.class);
        ClipValue clip = inputs.get("clip", ClipValue.class);
        ExtraNetworkTags.Parsed parsed = ExtraNetworkTags.parse(inputs.getString("text"));
        LbwPresets presets = LbwSources.presets(dirs);
        SplittableRandom random = new SplittableRandom(inputs.getSeed("seed").bits());
        List<LoraApplication> unet = new ArrayList<>();
        List<LoraApplication> text = new ArrayList<>();
        for (ExtraNetworkTags.Tag tag : parsed.tags()) {
            if (!LoraPromptTag.isLora(tag)) {
                throw new IllegalArgumentException("prompt tag " + tag.text() + ": <" + tag.type()
                        + ":…> networks are not supported; only <lora:…> and <lyco:…>");
            }
            LoraPromptTag.Resolved r = LoraPromptTag.parse(tag).resolve(presets, random);
            String name = LbwSources.loraName(dirs, r.name());
            Path file = dirs.resolveModel(DataDirs.LORAS, name);
            LoraNetwork network = cache.lora(FileVersion.of(file));
            model.checkpoint().checkFits(LoraApplication.of(file.toString(), network, 1f));
            if (r.unet() != 0f) {
                unet.add(new LoraApplication(name, network, r.unet(), 0f, r.blockWeights()));
            }
            if (r.te() != 0f) {
                text.add(new LoraApplication(name, network, 0f, r.te(), r.blockWeights()));
            }
        }
        ModelValue outModel = model;
        for (LoraApplication a : unet) {
            outModel = outModel.withLora(a);
        }
        ClipValue outClip = clip;
        for (LoraApplication a : text) {
            outClip = outClip.withLora(a);
        }
        return NodeResult.of(outModel, outClip, parsed.prompt());
    }

    /** The LoRA files the tags name and the preset files, as they are now. */
    @Override
    public Object fingerprint(NodeInputs literalInputs) {
        List<Object> versions = new ArrayList<>(LbwSources.presetVersions(dirs));
        if (literalInputs.has("text")) {
            for (ExtraNetworkTags.Tag tag : ExtraNetworkTags.parse(literalInputs.getString("text")).tags()) {
                versions.add(FileVersion.of(dirs.resolveModel(DataDirs.LORAS,
                        LbwSources.loraName(dirs, tag.items().get(0).strip()))));
            }
        }
        return versions;
    }
}
