package dev.bakehouse.node.sd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;

/**
 * Encodes images into latents (ComfyUI's {@code VAEEncode}): RGB only (alpha dropped), centre-cropped
 * to a multiple of the VAE's downscale factor, mapped to [-1, 1]; the latent is the posterior's
 * mean (ComfyUI does not sample it), unscaled.
 */
public final class VaeEncode implements Node {
    public static final String NAME = "VAEEncode";

    private static final NodeSpec SPEC = NodeSpec.builder(NAME)
            .displayName("VAE Encode")
            .category("latent")
            .description("Encodes pixel space images into latent space images.")
            .required(SocketInput.of("pixels", DataType.IMAGE).withTooltip("The image to be encoded."),
                    SocketInput.of("vae", DataType.VAE).withTooltip("The VAE model used for encoding the image."))
            .output(OutputSpec.of(DataType.LATENT).withTooltip("The encoded latent."))
            .build();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        ImageBatch pixels = inputs.get("pixels", ImageBatch.class);
        VaeValue vae = inputs.get("vae", VaeValue.class);
        return NodeResult.of(new Latent(vae.checkpoint().use(sd -> encode(sd, pixels))));
    }

    private static HostTensor encode(StableDiffusion sd, ImageBatch pixels) {
        int f = sd.config().vae().downscaleFactor();
        int height = pixels.height() / f * f;
        int width = pixels.width() / f * f;
        if (height == 0 || width == 0 || pixels.channels() < 3) {
            throw new IllegalArgumentException(NAME + ": needs an RGB image of at least " + f + "x" + f
                    + " pixels, found " + pixels);
        }
        int top = (pixels.height() % f) / 2;
        int left = (pixels.width() % f) / 2;
        try (NDManager run = sd.manager().newSubManager()) {
            NDArray all = run.create(pixels.buffer(),
                    new Shape(pixels.batch(), pixels.height(), pixels.width(), pixels.channels()));
            NDArray rgb = all.get(new NDIndex(":, {}:{}, {}:{}, 0:3", top, top + height, left, left + width));
            NDArray x = rgb.transpose(0, 3, 1, 2).mul(2).sub(1); // (B, 3, H, W) in [-1, 1]
            return HostTensor.of(sd.vae().encode(x).mean());
        }
    }
}
