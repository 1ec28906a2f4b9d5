package dev.bakehouse.toy.pretrain;

import dev.bakehouse.model.ModelConfig;

/**
 * Everything that decides what a pretraining run computes. A resumed run must have the same
 * options (the budget aside), so they are recorded with its progress and compared on resume.
 *
 * @param resolution    side of the generated images (the VAE's input)
 * @param vaeImages     distinct scenes the VAE phase draws its batches from
 * @param vaeCrop       side of the random square crops the VAE trains on (= resolution: whole images).
 *                      The autoencoder is convolutional, so crops teach it the same local code at a
 *                      fraction of the cost (LDM trains at 256 px what SD runs at 512)
 * @param datasetSize   held-in scenes encoded for the diffusion phase
 * @param warmupSteps   linear lr warm-up of each phase (at most a tenth of it), then cosine decay to 0
 * @param captionDropout share of captions replaced by "" (SD's 10%), so that the model has an
 *                      unconditional prediction for classifier-free guidance
 * @param minSnrGamma   kohya's {@code min_snr_gamma} for the diffusion loss (0 = off)
 * @param maxGradNorm   kohya's {@code max_grad_norm} (0 = off)
 * @param saveEvery     steps between saved progress (a stopped run loses at most these)
 * @param initFrom      a model pretrain-toy wrote, to continue from (its VAE kept, no VAE phase; text
 *                      encoder and UNet trained further with a fresh optimizer and schedule), or null
 */
public record PretrainOptions(
        ModelConfig model,
        long seed,
        int resolution,
        int vaeSteps,
        int vaeBatch,
        double vaeLr,
        int vaeImages,
        int vaeCrop,
        int datasetSize,
        int diffusionSteps,
        int diffusionBatch,
        double unetLr,
        double textEncoderLr,
        int warmupSteps,
        double captionDropout,
        double minSnrGamma,
        double maxGradNorm,
        int saveEvery,
        java.nio.file.Path initFrom) {

    public PretrainOptions {
        require(resolution % model.vae().downscaleFactor() == 0, "resolution " + resolution
                + " must be a multiple of the VAE's factor " + model.vae().downscaleFactor());
        require(vaeCrop % model.vae().downscaleFactor() == 0 && vaeCrop > 0 && vaeCrop <= resolution, "vae_crop "
                + vaeCrop + " must be a positive multiple of " + model.vae().downscaleFactor() + " up to the resolution");
        require(vaeSteps >= 0 && diffusionSteps >= 0, "vae_steps " + vaeSteps + " and unet_steps " + diffusionSteps
                + " must be >= 0");
        require(vaeBatch >= 1 && diffusionBatch >= 1 && datasetSize >= 1 && vaeImages >= 1, "batch sizes, vae_images and dataset size must be >= 1");
        require(captionDropout >= 0 && captionDropout < 1, "caption_dropout_rate must be in [0, 1), got " + captionDropout);
        require(saveEvery >= 1, "save_every must be >= 1, got " + saveEvery);
        require(vaeLr > 0 && unetLr > 0 && textEncoderLr > 0, "learning rates must be > 0");
    }

    /** The shipped model's recipe (see the package's report for how the step counts were sized). */
    public static PretrainOptions defaults(long seed) {
        return new PretrainOptions(ModelConfig.toy(), seed, 128, 1500, 8, 1e-3, 1 << 20, 64, 4096, 3000, 16, 5e-4, 5e-4, 200,
                0.1, 5.0, 1.0, 250, null);
    }

    public PretrainOptions withSteps(int vae, int diffusion) {
        return new PretrainOptions(model, seed, resolution, vae, vaeBatch, vaeLr, vaeImages, vaeCrop, datasetSize, diffusion, diffusionBatch,
                unetLr, textEncoderLr, warmupSteps, captionDropout, minSnrGamma, maxGradNorm, saveEvery, initFrom);
    }

    /** These options, continuing from {@code model} instead of random weights. */
    public PretrainOptions withInitFrom(java.nio.file.Path model) {
        return new PretrainOptions(this.model, seed, resolution, vaeSteps, vaeBatch, vaeLr, vaeImages, vaeCrop, datasetSize,
                diffusionSteps, diffusionBatch, unetLr, textEncoderLr, warmupSteps, captionDropout, minSnrGamma, maxGradNorm,
                saveEvery, model);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("pretrain-toy: " + message);
        }
    }
}
