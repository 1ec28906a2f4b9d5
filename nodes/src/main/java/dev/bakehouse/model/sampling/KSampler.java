package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * ComfyUI's KSampler for an epsilon-prediction discrete model (SD 1.x/2.x base):
 * sigmas from scheduler, steps and denoise; starting noise from the seed; noise scaling; the
 * sampler; guidance with the negative prompt.
 *
 * <p>Latents are in MODEL space: a ComfyUI LATENT (VAE space) is multiplied by the model's
 * scale factor (0.18215 for SD 1.x) before this and divided after, as ComfyUI's
 * {@code process_latent_in/out} do.
 */
public final class KSampler {
    /**
     * The KSampler widget values.
     *
     * @param denoise 1.0 = from pure noise; below 1 keeps only the last {@code steps} of
     *     {@code int(steps/denoise)} scheduled steps (img2img)
     */
    public record Settings(Seed seed, int steps, double cfg, SamplerName sampler, Scheduler scheduler, double denoise) {
        public Settings {
            Objects.requireNonNull(seed, "seed");
            Objects.requireNonNull(sampler, "sampler");
            Objects.requireNonNull(scheduler, "scheduler");
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be at least 1, found " + steps);
            }
            if (!(denoise >= 0 && denoise <= 1)) {
                throw new IllegalArgumentException("denoise must be between 0 and 1, found " + denoise);
            }
        }
    }

    private KSampler() {}

    /** {@code KSampler.set_steps}: the sigmas actually run for {@code steps} and {@code denoise}. */
    public static double[] sigmas(DiscreteSchedule schedule, Scheduler scheduler, int steps, double denoise) {
        if (denoise > 0.9999) {
            return scheduler.sigmas(schedule, steps);
        }
        if (denoise <= 0.0) {
            return new double[0];
        }
        double[] all = scheduler.sigmas(schedule, (int) (steps / denoise));
        return Arrays.copyOfRange(all, Math.max(0, all.length - (steps + 1)), all.length);
    }

    /**
     * {@code noise_scaling}: {@code latent + noise * sigma}, or {@code noise * sqrt(1 + sigma^2)}
     * when sampling starts at (or above) the schedule's sigma_max, where the latent is ignored
     * in effect (ComfyUI's max_denoise).
     */
    public static NDArray noiseScaling(DiscreteSchedule schedule, double sigma, NDArray noise, NDArray latentImage) {
        double max = schedule.sigmaMax();
        boolean maxDenoise = Math.abs(max - sigma) <= 1e-5 * Math.max(Math.abs(max), Math.abs(sigma)) || sigma > max;
        double scale = maxDenoise ? Math.sqrt(1.0 + sigma * sigma) : sigma;
        return noise.mul(scale).add(latentImage);
    }

    /**
     * Samples one latent batch.
     *
     * @param latentImage model-space latent (zeros for text-to-image), shape (B, 4, H, W)
     * @param negative may be null
     * @return the sampled latent, in {@code manager}
     */
    public static NDArray sample(NDManager manager, EpsPredictor model, DiscreteSchedule schedule, NDArray latentImage,
            NDArray positive, NDArray negative, Settings settings, StepListener listener, BooleanSupplier interrupted) {
        double[] sigmas = sigmas(schedule, settings.scheduler(), settings.steps(), settings.denoise());
        if (sigmas.length < 2) {
            NDArray unchanged = latentImage.duplicate();
            unchanged.attach(manager);
            return unchanged;
        }
        try (NDManager run = manager.newSubManager()) {
            NDArray noise = TorchNoise.initial(run, settings.seed(), latentImage.getShape());
            NDArray latent = latentImage.duplicate();
            latent.attach(run);
            NDArray x = noiseScaling(schedule, sigmas[0], noise, latent);
            Denoiser denoiser = new GuidedDenoiser(model, schedule, positive, negative, settings.cfg());
            SamplingRun samplingRun = new SamplingRun(run, listener, interrupted, TorchNoise.ancestral(settings.seed()));
            NDArray result = settings.sampler().create().sample(denoiser, x, sigmas, samplingRun);
            result.attach(manager);
            return result;
        }
    }
}
