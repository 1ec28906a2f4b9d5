package dev.bakehouse.node.lora;

import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.node.sd.ClipValue;
import dev.bakehouse.node.sd.ModelValue;

/**
 * {@code ApplyLoRA}: LoraLoader for a LORA value rather than a file name — MODEL and CLIP views
 * with the LoRA at the given strengths, patched only while a sampler or the text encoder runs
 * and restored exactly afterwards. The LoRA is checked against the model first, so one made for
 * another model fails here, naming every module that does not fit.
 */
public final class ApplyLora implements Node {
    public static final String NAME = "ApplyLoRA";

    private final NodeSpec spec = NodeSpec.builder(NAME)
            .displayName("Apply LoRA")
            .category("bakehouse/lora")
            .description("Applies a LORA (loaded or just trained) to a model and its text encoder.")
            .required(SocketInput.of("model", DataType.MODEL),
                    SocketInput.of("clip", DataType.CLIP),
                    SocketInput.of("lora", DataType.LORA),
                    FloatInput.of("strength_model", 1.0, -100.0, 100.0).withStep(0.01)
                            .withTooltip("How strongly to modify the diffusion model. This value can be negative."),
                    FloatInput.of("strength_clip", 1.0, -100.0, 100.0).withStep(0.01)
                            .withTooltip("How strongly to modify the CLIP model. This value can be negative."))
            .output(OutputSpec.of(DataType.MODEL))
            .output(OutputSpec.of(DataType.CLIP))
            .build();

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        ModelValue model = inputs.get("model", ModelValue.class);
        ClipValue clip = inputs.get("clip", ClipValue.class);
        LoraValue lora = inputs.get("lora", LoraValue.class);
        float strengthModel = inputs.getFloat("strength_model");
        float strengthClip = inputs.getFloat("strength_clip");
        if (strengthModel == 0f && strengthClip == 0f) {
            return NodeResult.of(model, clip);
        }
        model.checkpoint().checkFits(LoraApplication.of(lora.file().toString(), lora.network(), 1f));
        return NodeResult.of(
                strengthModel == 0f ? model : model.withLora(lora.name(), lora.network(), strengthModel),
                strengthClip == 0f ? clip : clip.withLora(lora.name(), lora.network(), strengthClip));
    }
}
