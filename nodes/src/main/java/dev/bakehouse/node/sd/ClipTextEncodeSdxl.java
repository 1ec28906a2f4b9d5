package dev.bakehouse.node.sd;

import dev.bakehouse.model.conditioning.SizeConditioning;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ComfyUI's {@code CLIPTextEncodeSDXL}: {@code text_g} through OpenCLIP bigG, {@code text_l} through
 * CLIP-L ({@link PromptEncoder#encodeSdxl}), with the size and crop numbers SDXL was trained on
 * carried in the conditioning (width/height = original size, crop_w/crop_h = crop left/top,
 * target size), so the UNet's vector conditioning uses them at sampling.
 */
public final class ClipTextEncodeSdxl implements Node {
    public static final String NAME = "CLIPTextEncodeSDXL";
    private static final Logger LOG = LoggerFactory.getLogger(ClipTextEncodeSdxl.class);
    private static final int MAX = EmptyLatentImage.MAX_RESOLUTION;

    private static final NodeSpec SPEC = NodeSpec.builder(NAME)
            .displayName("CLIP Text Encode (SDXL)")
            .category("advanced/conditioning")
            .required(SocketInput.of("clip", DataType.CLIP),
                    IntInput.of("width", 1024, 0, MAX),
                    IntInput.of("height", 1024, 0, MAX),
                    IntInput.of("crop_w", 0, 0, MAX),
                    IntInput.of("crop_h", 0, 0, MAX),
                    IntInput.of("target_width", 1024, 0, MAX),
                    IntInput.of("target_height", 1024, 0, MAX),
                    StringInput.of("text_g", "").withMultiline().withDynamicPrompts(),
                    StringInput.of("text_l", "").withMultiline().withDynamicPrompts())
            .output(OutputSpec.of(DataType.CONDITIONING))
            .build();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        ClipValue clip = inputs.get("clip", ClipValue.class);
        SizeConditioning size = new SizeConditioning(inputs.getLong("height"), inputs.getLong("width"),
                inputs.getLong("crop_h"), inputs.getLong("crop_w"), inputs.getLong("target_height"),
                inputs.getLong("target_width"));
        String textG = inputs.getString("text_g");
        String textL = inputs.getString("text_l");
        ClipTokenizer tokenizer = clip.tokenizer().get();
        PromptEncoder.SdxlPrompt prompt = clip.checkpoint().use(model -> {
            if (!model.config().isSdxl()) {
                throw new IllegalArgumentException(NAME + ": clip is not an SDXL checkpoint's (it has one text encoder); "
                        + "use CLIPTextEncode");
            }
            return PromptEncoder.encodeSdxl(model, tokenizer, clip.embeddings(), textG, textL, LOG::warn);
        });
        return NodeResult.of(new Conditioning(prompt.context(), prompt.pooled(), size));
    }
}
