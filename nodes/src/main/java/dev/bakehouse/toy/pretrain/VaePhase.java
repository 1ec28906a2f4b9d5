package dev.bakehouse.toy.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.model.vae.AutoencoderKL;
import dev.bakehouse.model.vae.VaePosterior;
import dev.bakehouse.train.noise.SeededDraws;

/**
 * The autoencoder's objective: LDM's {@code LPIPSWithDiscriminator} without its perceptual and
 * adversarial terms (there are no pretrained LPIPS weights here, and flat-coloured shapes have no
 * texture for a GAN to sharpen): an L1 reconstruction of a sample of the posterior plus a KL term
 * with LDM's weight 1e-6. LDM sums both over each image; dividing the whole objective by the pixel
 * count leaves Adam's steps unchanged and makes the reported loss the mean absolute pixel error
 * (on [-1, 1]).
 */
final class VaePhase {
    /** LDM's {@code kl_weight} for the kl-f8 autoencoder. */
    static final double KL_WEIGHT = 1e-6;

    private VaePhase() {}

    /** The loss (0-dim, in x's manager) of reconstructing x (B, 3, H, W) in [-1, 1]. */
    static Losses loss(AutoencoderKL vae, NDArray x, long sampleSeed) {
        NDManager m = x.getManager();
        VaePosterior posterior = vae.encode(x);
        NDArray mean = posterior.mean();
        NDArray logvar = posterior.logvar();
        NDArray std = OwnedArrays.times(logvar, 0.5f).exp();
        NDArray eps = new SeededDraws(sampleSeed).normal(m, mean.getShape());
        NDArray z = mean.add(std.mul(eps));
        NDArray reconstruction = vae.decode(z);
        NDArray l1 = reconstruction.sub(x).abs().mean();
        // KL(q || N(0, 1)) summed over the latent, averaged over the batch: 0.5 * sum(mu² + var - 1 - logvar)
        long batch = x.getShape().get(0);
        NDArray kl = mean.square().add(logvar.exp()).sub(logvar).sum();
        double pixels = x.getShape().size() / (double) batch;
        float klScale = (float) (0.5 * KL_WEIGHT / (batch * pixels));
        // the "- 1" of the KL is a constant: it changes the value, not the gradient, and is added when reported
        NDArray loss = l1.add(OwnedArrays.times(kl, klScale));
        double klValue = 0.5 * (kl.getFloat() / batch - mean.getShape().size() / (double) batch);
        return new Losses(loss, l1.getFloat(), klValue);
    }

    /**
     * @param loss the value to backpropagate
     * @param l1   mean absolute reconstruction error on [-1, 1]
     * @param kl   KL divergence per image (nats)
     */
    record Losses(NDArray loss, double l1, double kl) {}
}
