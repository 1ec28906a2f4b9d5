package dev.bakehouse.model.vae;

import java.util.List;

/**
 * The LDM AutoencoderKL ({@code ddconfig} names). Only the SD layout is built: no attention
 * inside the levels ({@code attn_resolutions} empty), the mid-block attention always present.
 *
 * @param scaleFactor the latent scale (0.18215 for SD1, 0.13025 for SDXL); applied by pipelines, never
 *                    inside decode/encode
 */
public record VaeConfig(
        int inChannels,
        int outCh,
        int ch,
        List<Integer> chMult,
        int numResBlocks,
        int zChannels,
        int embedDim,
        boolean doubleZ,
        int normNumGroups,
        double normEps,
        double scaleFactor) {

    /** SD1.x/SD2.x latent scale. */
    public static final double SD_SCALE_FACTOR = 0.18215;
    /** SDXL's latent scale (same autoencoder layout, retrained weights). */
    public static final double SDXL_SCALE_FACTOR = 0.13025;

    public VaeConfig {
        chMult = List.copyOf(chMult);
        if (!doubleZ) {
            throw new IllegalArgumentException("VaeConfig: only double_z=true (a KL autoencoder) is supported");
        }
        if (chMult.isEmpty() || numResBlocks < 1) {
            throw new IllegalArgumentException("VaeConfig: ch_mult " + chMult + " / num_res_blocks " + numResBlocks + " invalid");
        }
    }

    /** SD1.x/SD2.x VAE (kl-f8). */
    public static VaeConfig sd15() {
        return new VaeConfig(3, 3, 128, List.of(1, 2, 4, 4), 2, 4, 4, true, 32, 1e-6, 0.18215);
    }

    /** The conformance fixture's tiny VAE ({@code sd15-tiny/config.json}). */
    public static VaeConfig tiny() {
        return new VaeConfig(3, 3, 32, List.of(1, 2, 3, 3), 2, 4, 4, true, 32, 1e-6, 0.18215);
    }

    /**
     * The toy model's VAE: SD's factor 8 (128 px images, 16x16x4 latents), 32/32/64/64 channels and
     * one res block per level: the two full-resolution levels dominate its cost and flat-coloured
     * shapes need little width there; 64 deep channels keep it at 0.7M weights (128 would cost 2M,
     * more than the 30 MB file allows beside the UNet and CLIP's vocabulary). Eight norm groups, not
     * SD's 32: at 32 channels 32 groups normalise each channel on its own, which erases every
     * channel's spatial mean (the flat colour of a background) before each convolution; the
     * pretraining's VAE loss fell twice as fast with 4 channels per group. The scale factor is a placeholder until pretraining measures
     * the latents' spread ({@link #withScaleFactor}).
     */
    public static VaeConfig toy() {
        return new VaeConfig(3, 3, 32, List.of(1, 1, 2, 2), 1, 4, 4, true, 8, 1e-6, 1.0);
    }

    /** The same autoencoder with another latent scale (LDM's {@code scale_by_std} result). */
    public VaeConfig withScaleFactor(double factor) {
        return new VaeConfig(inChannels, outCh, ch, chMult, numResBlocks, zChannels, embedDim, doubleZ, normNumGroups,
                normEps, factor);
    }

    public int levels() {
        return chMult.size();
    }

    public long channels(int level) {
        return (long) ch * chMult.get(level);
    }

    /** Image pixels per latent pixel along each side. */
    public int downscaleFactor() {
        return 1 << (levels() - 1);
    }
}
