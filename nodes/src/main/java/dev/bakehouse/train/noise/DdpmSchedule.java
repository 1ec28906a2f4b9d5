package dev.bakehouse.train.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.sampling.DiscreteSchedule;

/**
 * The training noise schedule as diffusers' {@code DDPMScheduler} (scaled_linear 0.00085..0.012,
 * 1000 steps) and kohya's {@code prepare_scheduler_for_custom_training} (snr) define it, in float64.
 *
 * <p>diffusers builds the betas and their cumprod in float32; the float64 values differ from those
 * by at most 2.1e-6 relative (the fixtures' reference is float64), so nothing here rounds to float32
 * before the per-sample coefficients are handed to the tensors.
 */
public final class DdpmSchedule {
    private final double[] alphasCumprod;
    /** What {@link #snr} reads: the schedule before {@link #withZeroTerminalSnr}, as kohya's {@code all_snr}. */
    private final double[] snrAlphasCumprod;

    private DdpmSchedule(double[] alphasCumprod, double[] snrAlphasCumprod) {
        this.alphasCumprod = alphasCumprod;
        this.snrAlphasCumprod = snrAlphasCumprod;
    }

    /** The SD 1.x/2.x training schedule. */
    public static DdpmSchedule sd15() {
        return of(DiscreteSchedule.sd15());
    }

    public static DdpmSchedule of(DiscreteSchedule schedule) {
        double[] ac = schedule.alphasCumprod();
        return new DdpmSchedule(ac, ac);
    }

    /**
     * kohya's {@code --zero_terminal_snr} ({@code fix_noise_scheduler_betas_for_zero_terminal_snr},
     * arXiv 2305.08891): sqrt(alphas_cumprod) shifted so the last timestep is 0 and scaled so the
     * first keeps its value, so the last timestep is pure noise. kohya computes {@code all_snr}
     * before this fix, so {@link #snr} (min_snr_gamma, debiased estimation, ...) keeps the original
     * values while noising, the v target and the huber schedule use the rescaled ones.
     */
    public DdpmSchedule withZeroTerminalSnr() {
        int n = alphasCumprod.length;
        double first = Math.sqrt(alphasCumprod[0]);
        double last = Math.sqrt(alphasCumprod[n - 1]);
        double[] fixed = new double[n];
        for (int t = 0; t < n; t++) {
            double shifted = (Math.sqrt(alphasCumprod[t]) - last) * (first / (first - last));
            fixed[t] = shifted * shifted;
        }
        return new DdpmSchedule(fixed, snrAlphasCumprod);
    }

    /** {@code num_train_timesteps}: valid timesteps are 0 .. this - 1. */
    public int numTrainTimesteps() {
        return alphasCumprod.length;
    }

    public double alphaCumprod(long t) {
        return alphasCumprod[checked(t)];
    }

    /** kohya's {@code all_snr[t]} = (sqrt(ac) / sqrt(1 - ac))^2. */
    public double snr(long t) {
        double ac = snrAlphasCumprod[checked(t)];
        double ratio = Math.sqrt(ac) / Math.sqrt(1.0 - ac);
        return ratio * ratio;
    }

    /** snr at each timestep of a batch. */
    public double[] snr(long[] timesteps) {
        double[] out = new double[timesteps.length];
        for (int b = 0; b < timesteps.length; b++) {
            out[b] = snr(timesteps[b]);
        }
        return out;
    }

    /** {@code add_noise}: sqrt(ac[t]) * latents + sqrt(1 - ac[t]) * noise, per sample; in the latents' manager. */
    public NDArray addNoise(NDArray latents, NDArray noise, long[] timesteps) {
        try (NDArray a = perSample(latents, timesteps, false);
                NDArray s = perSample(latents, timesteps, true);
                NDArray scaledLatents = latents.mul(a);
                NDArray scaledNoise = noise.mul(s)) {
            return scaledLatents.add(scaledNoise);
        }
    }

    /** {@code get_velocity}: the v-prediction target sqrt(ac[t]) * noise - sqrt(1 - ac[t]) * latents. */
    public NDArray velocity(NDArray latents, NDArray noise, long[] timesteps) {
        try (NDArray a = perSample(latents, timesteps, false);
                NDArray s = perSample(latents, timesteps, true);
                NDArray scaledNoise = noise.mul(a);
                NDArray scaledLatents = latents.mul(s)) {
            NDArray v = scaledNoise.sub(scaledLatents);
            v.attach(latents.getManager());
            return v;
        }
    }

    /** sqrt(ac[t_b]) (or sqrt(1 - ac[t_b])) shaped (B, 1, ..., 1) to broadcast over {@code like}. */
    private NDArray perSample(NDArray like, long[] timesteps, boolean noiseSide) {
        long batch = like.getShape().get(0);
        if (batch != timesteps.length) {
            throw new IllegalArgumentException("batch of " + batch + " samples but " + timesteps.length + " timesteps");
        }
        float[] values = new float[timesteps.length];
        for (int b = 0; b < timesteps.length; b++) {
            double ac = alphaCumprod(timesteps[b]);
            values[b] = (float) Math.sqrt(noiseSide ? 1.0 - ac : ac);
        }
        long[] dims = new long[like.getShape().dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = batch;
        return like.getManager().create(values, new Shape(dims));
    }

    private int checked(long t) {
        if (t < 0 || t >= alphasCumprod.length) {
            throw new IllegalArgumentException("timestep " + t + " outside 0.." + (alphasCumprod.length - 1));
        }
        return (int) t;
    }
}
