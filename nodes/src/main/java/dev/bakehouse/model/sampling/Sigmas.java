package dev.bakehouse.model.sampling;

/** k-diffusion's schedule builders (sigma arrays of n+1 entries ending in 0). */
public final class Sigmas {
    /** Karras et al. (2022) rho, the k-diffusion/ComfyUI/A1111 default. */
    public static final double KARRAS_RHO = 7.0;

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
}
