package dev.bakehouse.node.image;

import dev.bakehouse.node.DataType;
import dev.bakehouse.node.HiddenInput;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import java.io.IOException;

/**
 * Saves images to the output folder as {@code <prefix>_<counter>_.png} with the prompt and
 * workflow embedded (ComfyUI's {@code SaveImage}, spec §7).
 */
public final class SaveImage implements Node {
    private static final int COMPRESSION_LEVEL = 4;
    private static final NodeSpec SPEC = NodeSpec.builder("SaveImage")
            .displayName("Save Image")
            .category("image")
            .description("Saves the images as PNG files in the output folder, with the prompt "
                    + "and workflow embedded.")
            .required(SocketInput.of("images", DataType.IMAGE).withTooltip("The images to save."),
                    StringInput.of("filename_prefix", "ComfyUI").withTooltip(
                            "File name start; may hold subfolders and %year%, %month%, %day%, "
                                    + "%hour%, %minute%, %second%, %width%, %height%, %batch_num%."))
            .hidden(HiddenInput.PROMPT, HiddenInput.EXTRA_PNGINFO)
            .outputNode()
            .build();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) throws IOException {
        return NodeResult.ui(ImageSaver.save(inputs.get("images", ImageBatch.class),
                inputs.getString("filename_prefix"), ctx.dirs().output(), "output",
                COMPRESSION_LEVEL, ctx));
    }
}
