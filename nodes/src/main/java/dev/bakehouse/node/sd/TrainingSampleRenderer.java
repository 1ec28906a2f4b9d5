package dev.bakehouse.node.sd;

import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.lora.LoraPatcher;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.WeightPatcher;
import dev.bakehouse.model.sampling.KSampler;
import dev.bakehouse.model.sampling.SamplerName;
import dev.bakehouse.model.sampling.SigmaScheduler;
import dev.bakehouse.model.sampling.Seed;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.node.image.Images;
import dev.bakehouse.train.config.SamplePrompt;
import dev.bakehouse.train.run.SampleRenderer;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Draws a training run's {@code sample_prompts} with the code a graph uses: the LoRA as saved
 * patched into the weights as ApplyLoRA does (strength 1 for UNet and text encoder), CLIPTextEncode's
 * prompt encoding (ComfyUI weighting, embeddings), KSampler, and VAEDecode. So a sample is, pixel
 * for pixel, what the saved file gives later in LoadLoRA → ApplyLoRA → KSampler → VAEDecode with
 * the same prompt, seed and settings (TrainingSamplesAreInferenceTest). The caller holds the
 * model's monitor and has unhooked the training modules.
 *
 * <p>kohya's {@code sample_sampler} names map to ComfyUI samplers on the {@code normal} scheduler
 * (kohya runs diffusers' schedulers; the step spacing differs slightly): {@code pndm} has no
 * ComfyUI counterpart and runs as {@code euler}, {@code dpmsolver}/{@code dpmsolver++}/
 * {@code dpmsingle} as {@code dpmpp_2m}.
 */
public final class TrainingSampleRenderer implements SampleRenderer {
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
    public BufferedImage render(SamplePrompt prompt, String sampler, long seed, LoraNetwork lora) {
        // kohya rounds the size down to a multiple of 8, at least 64
        int width = Math.max(64, prompt.width() - prompt.width() % 8);
        int height = Math.max(64, prompt.height() - prompt.height() % 8);
        KSampler.Settings settings = new KSampler.Settings(Seed.of(seed), prompt.steps(), prompt.scale(), sampler(sampler),
                SigmaScheduler.NORMAL, 1.0);
        // ApplyLoRA at strength 1 on both parts, then the code of CLIPTextEncode (twice),
        // EmptyLatentImage, KSampler and VAEDecode: what LoadLoRA → ApplyLoRA → KSampler does later
        try (WeightPatcher patched = LoraPatcher.apply(model, lora == null ? List.of()
                : List.of(new LoraApplication("training sample", lora, 1f, 1f, null)))) {
            Conditioning positive = new Conditioning(encode(prompt.prompt()));
            Conditioning negative = new Conditioning(encode(prompt.negativePrompt() == null ? "" : prompt.negativePrompt()));
            Latent empty = new Latent(HostTensor.zeros(1, EmptyLatentImage.LATENT_CHANNELS,
                    height / EmptyLatentImage.LATENT_FACTOR, width / EmptyLatentImage.LATENT_FACTOR));
            HostTensor samples = KSamplerNode.sample(model, empty, positive, negative, settings,
                    (step, total, denoised) -> { }, () -> false);
            return Images.toBufferedImage(VaeDecode.decode(model, new Latent(samples)), 0);
        }
    }

    private HostTensor encode(String text) {
        return PromptEncoder.encode(model, tokenizer, embeddings, text, stopAtLayer, warnings);
    }
}
