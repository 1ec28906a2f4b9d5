package dev.bakehouse.toy.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.model.tokenizer.KohyaRows;
import dev.bakehouse.model.tokenizer.TokenRows;
import dev.bakehouse.train.loss.LossOptions;
import dev.bakehouse.train.loss.TrainingLoss;
import dev.bakehouse.train.noise.DdpmSchedule;
import dev.bakehouse.train.noise.NoiseOptions;
import dev.bakehouse.train.noise.SeededDraws;
import dev.bakehouse.train.noise.TrainingNoise;
import dev.bakehouse.train.text.ChunkedTextEncoding;
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
        // one 77-token row per caption (BOS, up to 75 tokens, EOS padding), as the LoRA trainer encodes them
        List<TokenRows> rows = captions.stream().map(c -> KohyaRows.rows(c, tokenizer, ClipTokenizer.CHUNK_TOKENS)).toList();
        NDArray context = ChunkedTextEncoding.encode(model.textEncoder(), ChunkedTextEncoding.ids(m, rows), 1);
        TrainingNoise.NoisyBatch noisy = TrainingNoise.sample(latents, NoiseOptions.defaults(), schedule,
                new SeededDraws(noiseSeed));
        float[] t = new float[noisy.timesteps().length];
        for (int i = 0; i < t.length; i++) {
            t[i] = noisy.timesteps()[i];
        }
        NDArray pred = model.unet().forward(noisy.noisyLatents(), OwnedArrays.of(m, t), context);
        return TrainingLoss.compute(pred, noisy.noise(), noisy.timesteps(), null, lossOptions, schedule).loss();
    }
}
