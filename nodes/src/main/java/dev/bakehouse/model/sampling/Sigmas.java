package dev.bakehouse.model.sampling;

import java.util.Arrays;
import org.apache.commons.math3.distribution.BetaDistribution;

/** k-diffusion's and ComfyUI's schedule builders (sigma arrays of n+1 entries ending in 0). */
public final class Sigmas {
    /** Karras et al. (2022) rho, the k-diffusion/ComfyUI/A1111 default. */
    public static final double KARRAS_RHO = 7.0;
    /** ComfyUI's {@code beta_scheduler} defaults (Lee et al. 2024, "Beta Sampling is All You Need"). */
    public static final double BETA_ALPHA = 0.6;
    public static final double BETA_BETA = 0.6;
    /** ComfyUI's {@code linear_quadratic_schedule} default {@code threshold_noise}. */
    public static final double LINEAR_QUADRATIC_THRESHOLD = 0.025;
    /**
     * Absolute accuracy of the beta quantile: far below the 1/(2T) that would move a rounded
     * timestep, so only exact ties can differ from scipy's {@code beta.ppf}.
     */
    private static final double BETA_QUANTILE_ACCURACY = 1e-12;

    private Sigmas() {}

    /** {@code get_sigmas_karras}: {@code (max^(1/rho) + ramp (min^(1/rho) - max^(1/rho)))^rho}, + 0. */
    public static double[] karras(int n, double sigmaMin, double sigmaMax, double rho) {
        double[] ramp = Spacing.linspace(0, 1, n);
        double minInvRho = Math.pow(sigmaMin, 1 / rho);
        double maxInvRho = Math.pow(sigmaMax, 1 / rho);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.pow(maxInvRho + ramp[i] * (minInvRho - maxInvRho), rho);
        }
        return Spacing.appendZero(out);
    }

    /** {@code get_sigmas_exponential}: log-uniform from sigmaMax to sigmaMin, + 0. */
    public static double[] exponential(int n, double sigmaMin, double sigmaMax) {
        double[] logs = Spacing.linspace(Math.log(sigmaMax), Math.log(sigmaMin), n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.exp(logs[i]);
        }
        return Spacing.appendZero(out);
    }

    /**
     * k-diffusion {@code DiscreteSchedule.get_sigmas(n)} = ComfyUI "normal": timesteps
     * {@code linspace(T-1, 0, n)}, sigma by log interpolation, + 0.
     */
    public static double[] kDiffusion(DiscreteSchedule schedule, int n) {
        double[] t = Spacing.linspace(schedule.timesteps() - 1, 0, n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = schedule.sigma(t[i]);
        }
        return Spacing.appendZero(out);
    }

    /**
     * ComfyUI {@code beta_scheduler}: quantiles {@code q = 1 - k/n} (k = 0..n-1) of
     * Beta(alpha, beta), scaled to timesteps {@code rint(ppf(q) * (T-1))} (half to even, as numpy),
     * a timestep equal to the previous one skipped, each mapped to its trained sigma, + 0. So the
     * result may have fewer than n+1 entries when n approaches T.
     */
    public static double[] beta(DiscreteSchedule schedule, int n, double alpha, double beta) {
        double[] trained = schedule.sigmas();
        int last = trained.length - 1;
        BetaDistribution distribution = new BetaDistribution(null, alpha, beta, BETA_QUANTILE_ACCURACY);
        double[] out = new double[n + 1];
        int count = 0;
        double previous = -1;
        for (int k = 0; k < n; k++) {
            double q = 1 - (double) k / n;
            double t = roundedQuantile(distribution, q, last);
            if (t != previous) {
                out[count++] = trained[(int) t];
            }
            previous = t;
        }
        out[count++] = 0.0;
        return Arrays.copyOf(out, count);
    }

    /**
     * {@code rint(ppf(q) * scale)}. The solver's answer is only accurate to
     * {@link #BETA_QUANTILE_ACCURACY}, so when it lands next to a rounding tie (e.g. the median
     * 0.5 * 999 = 499.5 for 2 steps) the CDF at the tie decides the side; an exact tie rounds half
     * to even, as numpy does.
     */
    private static double roundedQuantile(BetaDistribution distribution, double q, int scale) {
        double scaled = distribution.inverseCumulativeProbability(q) * scale;
        double tie = Math.floor(scaled) + 0.5;
        if (Math.abs(scaled - tie) > 1e-6) {
            return Math.rint(scaled);
        }
        double below = distribution.cumulativeProbability(tie / scale) - q;
        if (Math.abs(below) <= 4 * Math.ulp(q)) {
            return Math.rint(tie);
        }
        return below < 0 ? Math.ceil(tie) : Math.floor(tie);
    }

    /**
     * ComfyUI {@code linear_quadratic_schedule} (from Mochi) with {@code linear_steps = n/2}:
     * {@code u} rises linearly from 0 by {@code threshold/linear_steps} per step, then along the
     * quadratic that continues it and reaches 1 after n steps; {@code sigma = (1 - u) sigma_max}.
     * One step is {@code [sigma_max, 0]}.
     */
    public static double[] linearQuadratic(int n, double sigmaMax, double threshold) {
        double[] u = new double[n + 1];
        u[n] = 1.0;
        if (n > 1) {
            int linearSteps = n / 2;
            int quadraticSteps = n - linearSteps;
            double stepDiff = linearSteps - threshold * n;
            double quadraticCoef = stepDiff / (linearSteps * (double) quadraticSteps * quadraticSteps);
            double linearCoef = threshold / linearSteps - 2 * stepDiff / ((double) quadraticSteps * quadraticSteps);
            double constant = quadraticCoef * ((double) linearSteps * linearSteps);
            for (int i = 0; i < linearSteps; i++) {
                u[i] = i * threshold / linearSteps;
            }
            for (int i = linearSteps; i < n; i++) {
                u[i] = quadraticCoef * ((double) i * i) + linearCoef * i + constant;
            }
        }
        double[] out = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            out[i] = (1.0 - u[i]) * sigmaMax;
        }
        return out;
    }

    /**
     * ComfyUI {@code kl_optimal_scheduler} (A1111 PR 15608): {@code sigma_i = tan((1 - i/(n-1))
     * atan(sigma_max) + i/(n-1) atan(sigma_min))}, + 0. For n = 1 ComfyUI divides 0 by 0 and
     * returns NaN; here the single step starts at sigma_max.
     */
    public static double[] klOptimal(int n, double sigmaMin, double sigmaMax) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double w = n == 1 ? 0.0 : (double) i / (n - 1);
            out[i] = Math.tan(w * Math.atan(sigmaMin) + (1 - w) * Math.atan(sigmaMax));
        }
        return Spacing.appendZero(out);
    }
}
