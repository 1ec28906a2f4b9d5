package dev.bakehouse.toy.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.train.loss.LossOptions;
import dev.bakehouse.train.loss.TrainingLoss;
import dev.bakehouse.train.noise.DdpmSchedule;
import dev.bakehouse.train.noise.NoiseOptions;
import dev.bakehouse.train.noise.SeededDraws;
import dev.bakehouse.train.noise.TrainingNoise;
import java.util.List;

/**
 * The text encoder and UNet's objective, SD's: ε-prediction on SD's DDPM schedule (1000 steps,
 * scaled-linear betas 0.00085..0.012), uniform timesteps, MSE weighted by {@code min_snr_gamma}
 * (Hang et al. 2023; it speeds convergence several-fold). The text encoder runs inside the same
 * graph, so both learn from one loss; its conditioning is the last hidden state (clip skip 1).
 */
final class DiffusionPhase {
    private final StableDiffusion model;
    private final ClipTokenizer tokenizer;
    private final DdpmSchedule schedule = DdpmSchedule.sd15();
    private final LossOptions lossOptions;

    DiffusionPhase(StableDiffusion model, ClipTokenizer tokenizer, double minSnrGamma) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.lossOptions = minSnrGamma > 0 ? LossOptions.defaults().withMinSnrGamma(minSnrGamma) : LossOptions.defaults();
    }

    /** The loss (0-dim, in the latents' manager) of denoising scaled latents (B, C, h, w) under captions. */
    NDArray loss(NDArray latents, List<String> captions, long noiseSeed) {
        NDManager m = latents.getManager();
        NDArray context = model.textEncoder().forward(ids(m, captions)).lastHiddenState();
        TrainingNoise.NoisyBatch noisy = TrainingNoise.sample(latents, NoiseOptions.defaults(), schedule,
                new SeededDraws(noiseSeed));
        float[] t = new float[noisy.timesteps().length];
        for (int i = 0; i < t.length; i++) {
            t[i] = noisy.timesteps()[i];
        }
        NDArray pred = model.unet().forward(noisy.noisyLatents(), OwnedArrays.of(m, t), context);
        return TrainingLoss.compute(pred, noisy.noise(), noisy.timesteps(), null, lossOptions, schedule).loss();
    }

    /**
     * SD1's single 77-token row per caption: BOS, at most 75 tokens, EOS, EOS padding. Owned by
     * libtorch, because the embedding's backward reads the ids again.
     */
    NDArray ids(NDManager manager, List<String> captions) {
        int width = ClipTokenizer.ROW_WIDTH;
        long[] flat = new long[captions.size() * width];
        for (int b = 0; b < captions.size(); b++) {
            int[] tokens = tokenizer.encode(captions.get(b));
            int n = Math.min(tokens.length, ClipTokenizer.CHUNK_TOKENS);
            int at = b * width;
            java.util.Arrays.fill(flat, at, at + width, ClipTokenizer.PAD_SD1);
            flat[at] = ClipTokenizer.BOS;
            for (int i = 0; i < n; i++) {
                flat[at + 1 + i] = tokens[i];
            }
            flat[at + 1 + n] = ClipTokenizer.EOS;
        }
        try (NDArray wrapped = manager.create(flat, new Shape(captions.size(), width))) {
            return wrapped.duplicate();
        }
    }
}
