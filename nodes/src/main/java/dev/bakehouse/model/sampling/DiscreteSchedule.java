package dev.bakehouse.model.sampling;

import java.util.Arrays;

/**
 * The trained noise schedule of a discrete-time (DDPM) model: 1000 betas, their
 * {@code alphas_cumprod} and the k-diffusion noise levels {@code sigma(t) = sqrt((1-ac_t)/ac_t)}.
 * All in double precision (LDM computes in float64 too; ComfyUI then rounds sigmas to float32).
 *
 * <p>Sampling state is k-diffusion's: {@code x = x0 + sigma * eps}, so the DDPM latent is
 * {@code x * sqrt(ac)} and {@code ac = 1 / (1 + sigma^2)}.
 */
public final class DiscreteSchedule {
    /** SD 1.x/2.x training schedule: scaled_linear from 0.00085 to 0.012 over 1000 steps. */
    public static final double SD_BETA_START = 0.00085;
    public static final double SD_BETA_END = 0.012;
    public static final int SD_TRAIN_TIMESTEPS = 1000;

    private final double[] betas;
    private final double[] alphasCumprod;
    private final double[] sigmas;
    private final double[] logSigmas;

    private DiscreteSchedule(double[] betas) {
        this.betas = betas;
        this.alphasCumprod = new double[betas.length];
        this.sigmas = new double[betas.length];
        this.logSigmas = new double[betas.length];
        double product = 1.0;
        for (int t = 0; t < betas.length; t++) {
            product *= 1.0 - betas[t];
            alphasCumprod[t] = product;
            sigmas[t] = Math.sqrt((1.0 - product) / product);
            logSigmas[t] = Math.log(sigmas[t]);
        }
    }

    /** The SD 1.x schedule. */
    public static DiscreteSchedule sd15() {
        return scaledLinear(SD_TRAIN_TIMESTEPS, SD_BETA_START, SD_BETA_END);
    }

    /** {@code betas = linspace(sqrt(start), sqrt(end), n)^2} (LDM "linear", diffusers "scaled_linear"). */
    public static DiscreteSchedule scaledLinear(int timesteps, double betaStart, double betaEnd) {
        if (timesteps < 2) {
            throw new IllegalArgumentException("timesteps must be at least 2, found " + timesteps);
        }
        double[] roots = Spacing.linspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), timesteps);
        double[] betas = new double[timesteps];
        for (int t = 0; t < timesteps; t++) {
            betas[t] = roots[t] * roots[t];
        }
        return new DiscreteSchedule(betas);
    }

    public int timesteps() {
        return betas.length;
    }

    public double[] betas() {
        return betas.clone();
    }

    public double[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    /** sigma at every integer timestep, index = t. */
    public double[] sigmas() {
        return sigmas.clone();
    }

    public double sigmaMin() {
        return sigmas[0];
    }

    public double sigmaMax() {
        return sigmas[sigmas.length - 1];
    }

    /**
     * sigma at a fractional timestep by LOG-sigma interpolation, t clamped to [0, T-1]
     * (k-diffusion {@code t_to_sigma}, ComfyUI {@code ModelSamplingDiscrete.sigma}).
     */
    public double sigma(double t) {
        double c = Math.max(0, Math.min(t, sigmas.length - 1));
        int low = (int) Math.floor(c);
        int high = (int) Math.ceil(c);
        double w = c - low;
        return Math.exp((1 - w) * logSigmas[low] + w * logSigmas[high]);
    }

    /** sigma at a fractional timestep by LINEAR interpolation of sigma ({@code np.interp}, diffusers). */
    public double sigmaLinear(double t) {
        double c = Math.max(0, Math.min(t, sigmas.length - 1));
        int low = (int) Math.floor(c);
        if (low == sigmas.length - 1) {
            return sigmas[low];
        }
        double w = c - low;
        return sigmas[low] + w * (sigmas[low + 1] - sigmas[low]);
    }

    /** The integer timestep whose log-sigma is nearest ({@code ModelSamplingDiscrete.timestep}, ComfyUI). */
    public int timestep(double sigma) {
        double logSigma = Math.log(sigma);
        int best = 0;
        for (int t = 1; t < logSigmas.length; t++) {
            if (Math.abs(logSigma - logSigmas[t]) < Math.abs(logSigma - logSigmas[best])) {
                best = t;
            }
        }
        return best;
    }

    /** Fractional timestep by log-sigma interpolation (k-diffusion {@code sigma_to_t}, diffusers {@code _sigma_to_t}). */
    public double timestepInterpolated(double sigma) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int low = 0;
        for (int t = 0; t < logSigmas.length; t++) {
            if (logSigma - logSigmas[t] >= 0) {
                low = t;
            }
        }
        low = Math.min(low, logSigmas.length - 2);
        double w = (logSigmas[low] - logSigma) / (logSigmas[low] - logSigmas[low + 1]);
        w = Math.max(0, Math.min(1, w));
        return (1 - w) * low + w * (low + 1);
    }

    /** {@code alphas_cumprod} at noise level sigma: {@code 1 / (1 + sigma^2)}. */
    public static double alphaCumprodOf(double sigma) {
        return 1.0 / (1.0 + sigma * sigma);
    }

    @Override
    public String toString() {
        return "DiscreteSchedule[" + betas.length + " steps, sigma " + sigmaMin() + ".." + sigmaMax() + ", betas "
                + Arrays.toString(Arrays.copyOf(betas, 2)) + "...]";
    }
}
