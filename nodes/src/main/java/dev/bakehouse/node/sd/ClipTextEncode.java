package dev.bakehouse.node.sd;

import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes a prompt with ComfyUI's emphasis syntax and long-prompt rows ({@code CLIPTextEncode};
 * see {@link PromptEncoder}), with the CLIP's LoRAs applied while it runs and textual-inversion
 * embeddings ({@code embedding:name}) spliced in. A missing embedding is logged as ComfyUI prints
 * it ({@code warning, embedding:name does not exist, ignoring}).
 */
public final class ClipTextEncode implements Node {
    public static final String NAME = "CLIPTextEncode";
    private static final Logger LOG = LoggerFactory.getLogger(ClipTextEncode.class);

    private static final NodeSpec SPEC = NodeSpec.builder(NAME)
            .displayName("CLIP Text Encode (Prompt)")
            .category("conditioning")
            .description("Encodes a text prompt using a CLIP model into an embedding that can be used to guide "
                    + "the diffusion model towards generating specific images.")
            .required(StringInput.of("text", "").withMultiline().withDynamicPrompts().withTooltip("The text to be encoded."),
                    SocketInput.of("clip", DataType.CLIP).withTooltip("The CLIP model used for encoding the text."))
            .output(OutputSpec.of(DataType.CONDITIONING)
                    .withTooltip("A conditioning containing the embedded text used to guide the diffusion model."))
            .build();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        String text = inputs.getString("text");
        ClipValue clip = inputs.get("clip", ClipValue.class);
        ClipTokenizer tokenizer = clip.tokenizer().get();
        Conditioning conditioning = clip.checkpoint().use(model -> {
            if (!model.config().isSdxl()) {
                return new Conditioning(PromptEncoder.encode(model, tokenizer, clip.embeddings(), text, clip.stopAtLayer(),
                        LOG::warn));
            }
            if (clip.stopAtLayer() != -1) {
                // SDXL conditions on fixed layers of both encoders (the penultimate ones)
                throw new IllegalArgumentException("stop_at_clip_layer " + clip.stopAtLayer() + " is not supported for "
                        + "SDXL checkpoints yet; leave CLIPSetLastLayer at -1");
            }
            // ComfyUI's CLIPTextEncode on SDXL: the same text for both encoders, no size numbers (768 defaults)
            PromptEncoder.SdxlPrompt prompt = PromptEncoder.encodeSdxl(model, tokenizer, clip.embeddings(), text, text,
                    LOG::warn);
            return new Conditioning(prompt.context(), prompt.pooled(), null);
        });
        return NodeResult.of(conditioning);
    }
}
