package dev.bakehouse.node.sd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.sampling.DiscreteSchedule;
import dev.bakehouse.model.sampling.EpsPredictor;
import dev.bakehouse.model.sampling.KSampler;
import dev.bakehouse.model.sampling.SamplerName;
import dev.bakehouse.model.sampling.SigmaScheduler;
import dev.bakehouse.model.sampling.Seed;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.image.Images;
import dev.bakehouse.train.config.SamplePrompt;
import dev.bakehouse.train.run.SampleRenderer;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Draws a training run's {@code sample_prompts} with the code a graph uses: CLIPTextEncode's
 * prompt encoding (ComfyUI weighting, embeddings), KSampler, and VAEDecode — the LoRA being trained
 * is hooked into the model, at multiplier 1. So a sample shows what the saved LoRA gives later in
 * LoadLoRA → ApplyLoRA → KSampler with the same prompt, seed and settings.
 *
 * <p>kohya's {@code sample_sampler} names map to ComfyUI samplers on the {@code normal} scheduler
 * (kohya runs diffusers' schedulers; the step spacing differs slightly): {@code pndm} has no
 * ComfyUI counterpart and runs as {@code euler}, {@code dpmsolver}/{@code dpmsolver++}/
 * {@code dpmsingle} as {@code dpmpp_2m}.
 */
public final class TrainingSampleRenderer implements SampleRenderer {
    private static final DiscreteSchedule SCHEDULE = DiscreteSchedule.sd15();

    private final StableDiffusion model;
    private final ClipTokenizer tokenizer;
    private final Embeddings embeddings;
    private final int stopAtLayer;
    private final Consumer<String> warnings;

    /**
     * @param clipSkip kohya's {@code clip_skip} (null or 1 = last layer)
     */
    public TrainingSampleRenderer(StableDiffusion model, ClipTokenizer tokenizer, Embeddings embeddings, Integer clipSkip,
                                  Consumer<String> warnings) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.embeddings = embeddings;
        this.stopAtLayer = clipSkip == null ? -1 : -clipSkip;
        this.warnings = warnings;
    }

    /** kohya's {@code sample_sampler} choices as ComfyUI samplers. */
    public static SamplerName sampler(String kohya) {
        return switch (kohya.toLowerCase(Locale.ROOT)) {
            case "ddim" -> SamplerName.DDIM;
            case "lms", "k_lms" -> SamplerName.LMS;
            case "euler", "k_euler", "pndm" -> SamplerName.EULER;
            case "euler_a", "k_euler_a" -> SamplerName.EULER_ANCESTRAL;
            case "heun" -> SamplerName.HEUN;
            case "dpm_2", "k_dpm_2" -> SamplerName.DPM_2;
            case "dpm_2_a", "k_dpm_2_a" -> SamplerName.DPM_2_ANCESTRAL;
            case "dpmsolver", "dpmsolver++", "dpmsingle" -> SamplerName.DPMPP_2M;
            default -> throw new IllegalArgumentException("sample_sampler '" + kohya + "' is not one of kohya's samplers");
        };
    }

    @Override
    public BufferedImage render(SamplePrompt prompt, String sampler, long seed) {
        HostTensor positive = PromptEncoder.encode(model, tokenizer, embeddings, prompt.prompt(), stopAtLayer, warnings);
        HostTensor negative = PromptEncoder.encode(model, tokenizer, embeddings,
                prompt.negativePrompt() == null ? "" : prompt.negativePrompt(), stopAtLayer, warnings);
        // kohya rounds the size down to a multiple of 8, at least 64
        int width = Math.max(64, prompt.width() - prompt.width() % 8);
        int height = Math.max(64, prompt.height() - prompt.height() % 8);
        int f = model.config().vae().downscaleFactor();
        KSampler.Settings settings = new KSampler.Settings(Seed.of(seed), prompt.steps(), prompt.scale(), sampler(sampler),
                SigmaScheduler.NORMAL, 1.0);
        EpsPredictor unet = (x, t, context) -> model.unet().forward(x, t, context);
        try (NDManager run = model.manager().newSubManager()) {
            NDArray empty = run.zeros(new ai.djl.ndarray.types.Shape(1, model.config().unet().inChannels(), height / f, width / f));
            NDArray latent = KSampler.sample(run, unet, SCHEDULE, empty, positive.toNDArray(run), negative.toNDArray(run),
                    settings, (step, total, denoised) -> { }, () -> false);
            NDArray image = model.vae().decodeToImage(latent);
            long[] s = image.getShape().getShape(); // (1, H, W, 3)
            return Images.toBufferedImage(new ImageBatch((int) s[0], (int) s[1], (int) s[2], (int) s[3],
                    image.toFloatArray()), 0);
        }
    }
}
