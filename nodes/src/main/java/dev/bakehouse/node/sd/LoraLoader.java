package dev.bakehouse.node.sd;

import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import java.nio.file.Path;

/**
 * ComfyUI's {@code LoraLoader}: returns MODEL and CLIP views with a LoRA from {@code models/loras}
 * added at the given strengths, after checking from shapes that every tensor of the LoRA fits the
 * model ({@link dev.bakehouse.lora.LoraMismatchException} otherwise). The inputs are not changed;
 * the weights are patched only while a sampler or text encoder runs and restored exactly afterwards
 * ({@link PatchedCheckpoint}). The file's version is the cache fingerprint, so replacing it re-runs
 * the node.
 */
public final class LoraLoader implements Node {
    public static final String NAME = "LoraLoader";

    private final DataDirs dirs;
    private final ModelCache cache;
    private final NodeSpec spec;

    LoraLoader(DataDirs dirs, ModelCache cache) {
        this.dirs = dirs;
        this.cache = cache;
        this.spec = NodeSpec.builder(NAME)
                .displayName("Load LoRA")
                .category("loaders")
                .description("LoRAs are used to modify diffusion and CLIP models, altering the way in which latents "
                        + "are denoised such as applying styles. Multiple LoRA nodes can be linked together.")
                .required(SocketInput.of("model", DataType.MODEL).withTooltip("The diffusion model the LoRA will be applied to."),
                        SocketInput.of("clip", DataType.CLIP).withTooltip("The CLIP model the LoRA will be applied to."),
                        ComboInput.dynamic("lora_name", () -> dirs.listModels(DataDirs.LORAS))
                                .withTooltip("The name of the LoRA."),
                        strength("strength_model", "How strongly to modify the diffusion model. This value can be negative."),
                        strength("strength_clip", "How strongly to modify the CLIP model. This value can be negative."))
                .output(OutputSpec.of(DataType.MODEL).withTooltip("The modified diffusion model."))
                .output(OutputSpec.of(DataType.CLIP).withTooltip("The modified CLIP model."))
                .build();
    }

    private static FloatInput strength(String name, String tooltip) {
        return FloatInput.of(name, 1.0, -100.0, 100.0).withTooltip(tooltip);
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
        if (strengthModel == 0f && strengthClip == 0f) {
            return NodeResult.of(model, clip); // as ComfyUI: no LoRA at all, not even a file read
        }
        String name = inputs.getString("lora_name");
        Path file = dirs.resolveModel(DataDirs.LORAS, name);
        LoraNetwork network = cache.lora(FileVersion.of(file));
        // A LoRA made for another model fails here, naming the file, rather than in a later node.
        model.checkpoint().checkFits(LoraApplication.of(file.toString(), network, 1f));
        return NodeResult.of(
                strengthModel == 0f ? model : model.withLora(name, network, strengthModel),
                strengthClip == 0f ? clip : clip.withLora(name, network, strengthClip));
    }

    @Override
    public Object fingerprint(NodeInputs literalInputs) {
        return FileVersion.of(dirs.resolveModel(DataDirs.LORAS, literalInputs.getString("lora_name")));
    }
}
