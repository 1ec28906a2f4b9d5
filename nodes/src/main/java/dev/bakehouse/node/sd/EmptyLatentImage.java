package dev.bakehouse.node.sd;

import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;

/**
 * A batch of zero latents (ComfyUI's {@code EmptyLatentImage}): (batch, 4, height/8, width/8),
 * sizes rounded down to whole latent pixels as ComfyUI does.
 */
public final class EmptyLatentImage implements Node {
    public static final String NAME = "EmptyLatentImage";
    /** ComfyUI's {@code MAX_RESOLUTION}. */
    public static final int MAX_RESOLUTION = 16384;
    /** Image pixels per latent pixel of SD's VAE. */
    public static final int LATENT_FACTOR = 8;
    public static final int LATENT_CHANNELS = 4;

    private static final NodeSpec SPEC = NodeSpec.builder(NAME)
            .displayName("Empty Latent Image")
            .category("latent")
            .description("Create a new batch of empty latent images to be denoised via sampling.")
            .required(IntInput.of("width", 512, 16, MAX_RESOLUTION).withStep(LATENT_FACTOR)
                            .withTooltip("The width of the latent images in pixels."),
                    IntInput.of("height", 512, 16, MAX_RESOLUTION).withStep(LATENT_FACTOR)
                            .withTooltip("The height of the latent images in pixels."),
                    IntInput.of("batch_size", 1, 1, 4096).withTooltip("The number of latent images in the batch."))
            .output(OutputSpec.of(DataType.LATENT).withTooltip("The empty latent image batch."))
            .build();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        int width = inputs.getInt("width");
        int height = inputs.getInt("height");
        int batch = inputs.getInt("batch_size");
        if (width < LATENT_FACTOR || height < LATENT_FACTOR || batch < 1) {
            throw new IllegalArgumentException(NAME + ": width and height must be at least " + LATENT_FACTOR
                    + " and batch_size at least 1, found " + width + "x" + height + " x" + batch);
        }
        return NodeResult.of(new Latent(HostTensor.zeros(batch, LATENT_CHANNELS, height / LATENT_FACTOR,
                width / LATENT_FACTOR)));
    }
}
