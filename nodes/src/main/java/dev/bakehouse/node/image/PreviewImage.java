package dev.bakehouse.node.image;

import dev.bakehouse.node.DataType;
import dev.bakehouse.node.HiddenInput;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import java.io.IOException;
import java.util.random.RandomGenerator;

/**
 * Shows images without keeping them: writes them to the temp folder as
 * {@code ComfyUI_temp_<5 letters>_<counter>_.png} (ComfyUI's {@code PreviewImage}, spec §7.1).
 * The letters are drawn once per instance, and instances live as long as their prompt node, so
 * repeated runs of one preview node count up under one name.
 */
public final class PreviewImage implements Node {
    private static final int COMPRESSION_LEVEL = 1;
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
    private static final NodeSpec SPEC = NodeSpec.builder("PreviewImage")
            .displayName("Preview Image")
            .category("image")
            .description("Shows the images; they are written to the temp folder only.")
            .required(SocketInput.of("images", DataType.IMAGE))
            .hidden(HiddenInput.PROMPT, HiddenInput.EXTRA_PNGINFO)
            .outputNode()
            .build();

    private final String prefix;

    /** @param random draws this instance's 5-letter suffix */
    public PreviewImage(RandomGenerator random) {
        StringBuilder suffix = new StringBuilder("ComfyUI_temp_");
        for (int i = 0; i < 5; i++) {
            suffix.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        this.prefix = suffix.toString();
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) throws IOException {
        return NodeResult.ui(ImageSaver.save(inputs.get("images", ImageBatch.class), prefix,
                ctx.dirs().temp(), "temp", COMPRESSION_LEVEL, ctx));
    }
}
