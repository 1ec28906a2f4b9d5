package dev.bakehouse.node.sd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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

/** Decodes latents into images (ComfyUI's {@code VAEDecode}): {@code clamp((decode(z) + 1) / 2, 0, 1)}, B×H×W×3. */
public final class VaeDecode implements Node {
    public static final String NAME = "VAEDecode";

    private static final NodeSpec SPEC = NodeSpec.builder(NAME)
            .displayName("VAE Decode")
            .category("latent")
            .description("Decodes latent images back into pixel space images.")
            .required(SocketInput.of("samples", DataType.LATENT).withTooltip("The latent to be decoded."),
                    SocketInput.of("vae", DataType.VAE).withTooltip("The VAE model used for decoding the latent."))
            .output(OutputSpec.of(DataType.IMAGE).withTooltip("The decoded image."))
            .build();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        Latent latent = inputs.get("samples", Latent.class);
        VaeValue vae = inputs.get("vae", VaeValue.class);
        ImageBatch images = vae.checkpoint().use(sd -> decode(sd, latent));
        return NodeResult.of(images);
    }

    /** The node's decoding, also used for training samples ({@link TrainingSampleRenderer}). */
    static ImageBatch decode(StableDiffusion sd, Latent latent) {
        long channels = sd.config().vae().embedDim();
        if (latent.samples().dim(1) != channels) {
            throw new IllegalArgumentException(NAME + ": the latent has " + latent.samples().dim(1)
                    + " channels, this VAE decodes " + channels);
        }
        try (NDManager run = sd.manager().newSubManager()) {
            NDArray decoded = sd.vae().decode(latent.samples().toNDArray(run));
            NDArray pixels = decoded.add(1).div(2).clip(0f, 1f).transpose(0, 2, 3, 1); // (B, H, W, 3)
            long[] s = pixels.getShape().getShape();
            return new ImageBatch((int) s[0], (int) s[1], (int) s[2], (int) s[3], pixels.toFloatArray());
        }
    }
}
