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
    public record Settings(Seed seed, int steps, double cfg, SamplerName sampler, SigmaScheduler scheduler, double denoise) {
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

    /**
     * KSamplerAdvanced's extra widgets: run only steps {@code startAtStep .. endAtStep} of the
     * schedule, with or without fresh noise.
     *
     * @param forceFullDenoise when the window ends early, end at sigma 0 (ComfyUI:
     *     {@code return_with_leftover_noise = disable})
     */
    public record StepWindow(int startAtStep, int endAtStep, boolean addNoise, boolean forceFullDenoise) {
        /** Plain KSampler: every step, fresh noise. */
        public static final StepWindow ALL = new StepWindow(0, 10000, true, false);

        public StepWindow {
            if (startAtStep < 0 || endAtStep < 0) {
                throw new IllegalArgumentException("start_at_step and end_at_step must be >= 0, found "
                        + startAtStep + " and " + endAtStep);
            }
        }

        /** The sigmas this window runs, or an array shorter than 2 when nothing is left to run. */
        public double[] apply(double[] sigmas) {
            double[] out = sigmas;
            if (endAtStep < out.length - 1) {
                out = Arrays.copyOf(out, endAtStep + 1);
                if (forceFullDenoise) {
                    out[out.length - 1] = 0.0;
                }
            }
            if (startAtStep >= out.length - 1) {
                return new double[0];
            }
            return Arrays.copyOfRange(out, startAtStep, out.length);
        }
    }

    private KSampler() {}

    /** {@code KSampler.set_steps}: the sigmas actually run for {@code steps} and {@code denoise}. */
    public static double[] sigmas(DiscreteSchedule schedule, SigmaScheduler scheduler, SamplerName sampler, int steps,
            double denoise) {
        if (denoise > 0.9999) {
            return calculateSigmas(schedule, scheduler, sampler, steps);
        }
        if (denoise <= 0.0) {
            return new double[0];
        }
        double[] all = calculateSigmas(schedule, scheduler, sampler, (int) (steps / denoise));
        return Arrays.copyOfRange(all, Math.max(0, all.length - (steps + 1)), all.length);
    }

    /**
     * {@code KSampler.calculate_sigmas}: samplers that would end on a tiny last nonzero sigma
     * (dpm_2, dpm_2_ancestral) get the schedule for one step more with its penultimate sigma
     * dropped, so they still run {@code steps} steps.
     */
    private static double[] calculateSigmas(DiscreteSchedule schedule, SigmaScheduler scheduler, SamplerName sampler,
            int steps) {
        if (!sampler.discardsPenultimateSigma()) {
            return scheduler.sigmas(schedule, steps);
        }
        double[] longer = scheduler.sigmas(schedule, steps + 1);
        if (longer.length < 2) {
            return longer;
        }
        double[] out = Arrays.copyOf(longer, longer.length - 1);
        out[out.length - 1] = longer[longer.length - 1];
        return out;
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
        return sample(manager, model, schedule, latentImage, positive, negative, settings, StepWindow.ALL, listener, interrupted);
    }

    /** KSamplerAdvanced: {@link #sample} restricted to a {@link StepWindow}. */
    public static NDArray sample(NDManager manager, EpsPredictor model, DiscreteSchedule schedule, NDArray latentImage,
            NDArray positive, NDArray negative, Settings settings, StepWindow window, StepListener listener,
            BooleanSupplier interrupted) {
        return sample(manager, model, schedule, latentImage, UNetConditioning.of(positive),
                negative == null ? null : UNetConditioning.of(negative), settings, window, listener, interrupted);
    }

    /** {@link #sample} with conditionings that may carry SDXL's vector conditioning y. */
    public static NDArray sample(NDManager manager, EpsPredictor model, DiscreteSchedule schedule, NDArray latentImage,
            UNetConditioning positive, UNetConditioning negative, Settings settings, StepWindow window,
            StepListener listener, BooleanSupplier interrupted) {
        double[] sigmas = window.apply(sigmas(schedule, settings.scheduler(), settings.sampler(), settings.steps(),
                settings.denoise()));
        if (sigmas.length < 2) {
            NDArray unchanged = latentImage.duplicate();
            unchanged.attach(manager);
            return unchanged;
        }
        try (NDManager run = manager.newSubManager()) {
            NDArray noise = window.addNoise()
                    ? TorchNoise.initial(run, settings.seed(), latentImage.getShape())
                    : run.zeros(latentImage.getShape());
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
