package dev.bakehouse.node.sd;

import java.util.Objects;

/**
 * The LATENT value, like ComfyUI's {@code {"samples": tensor}}: a batch of latents in the VAE's
 * space (not multiplied by the model's scale factor), shape (B, 4, H/8, W/8).
 *
 * @param samples the latents
 */
public record Latent(HostTensor samples) {
    public Latent {
        Objects.requireNonNull(samples, "samples");
        if (samples.rank() != 4) {
            throw new IllegalArgumentException("LATENT samples must be (batch, channels, height, width), found "
                    + samples.shape());
        }
    }

    public long batchSize() {
        return samples.dim(0);
    }
}
