package dev.bakehouse.node.sd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.bakehouse.node.ImageBatch;

/**
 * A cheap step preview, as ComfyUI's {@code Latent2RGBPreviewer} draws it: the first image of a
 * sampler's x0 prediction (model space) at latent resolution, each pixel's 4 channels mapped to
 * RGB by a fixed linear map fitted to SD1's VAE, then {@code clamp((rgb + 1) / 2, 0, 1)}.
 */
final class LatentPreview {
    /** SD 1.x {@code latent_rgb_factors} (rows: latent channels; columns: R, G, B). */
    private static final float[][] SD1_FACTORS = {
        {0.3512f, 0.2297f, 0.3227f},
        {0.3250f, 0.4974f, 0.2350f},
        {-0.2829f, 0.1762f, 0.2721f},
        {-0.2120f, -0.2616f, -0.7177f},
    };

    private LatentPreview() {}

    /** The preview of {@code denoised} (B, 4, h, w); an image of h×w, or null for other channel counts. */
    static ImageBatch of(NDArray denoised) {
        long[] shape = denoised.getShape().getShape();
        if (shape[1] != SD1_FACTORS.length) {
            return null;
        }
        int h = (int) shape[2];
        int w = (int) shape[3];
        float[] latent;
        try (NDArray first = denoised.get(new NDIndex("0"))) {
            latent = first.toFloatArray(); // (4, h, w)
        }
        float[] rgb = new float[h * w * 3];
        for (int p = 0; p < h * w; p++) {
            for (int c = 0; c < 3; c++) {
                float sum = 0;
                for (int k = 0; k < SD1_FACTORS.length; k++) {
                    sum += latent[k * h * w + p] * SD1_FACTORS[k][c];
                }
                rgb[p * 3 + c] = Math.min(1f, Math.max(0f, (sum + 1f) / 2f));
            }
        }
        return new ImageBatch(1, h, w, 3, rgb);
    }
}
