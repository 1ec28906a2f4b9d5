package dev.bakehouse.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Data distributed N(mu, s^2) per element: its ideal denoiser is
 * {@code D(x, sigma) = mu + s^2/(s^2+sigma^2) (x - mu)} and the probability-flow ODE
 * {@code dx/dsigma = (x - D)/sigma} has the closed form
 * {@code x(sigma) = mu + (x_T - mu) sqrt((s^2+sigma^2)/(s^2+sigma_T^2))}.
 */
final class GaussianData {
    static final Shape SHAPE = new Shape(1, 4, 4, 4);
    /** Range of the convergence runs: from ODE_START down to ODE_END, where the ODE solution is finite. */
    static final double ODE_START = 14.0;
    static final double ODE_END = 0.3;
    final double s;
    final double[] mu;
    final double[] start;

    GaussianData(double s) {
        this.s = s;
        int n = (int) SHAPE.size();
        mu = new double[n];
        start = new double[n];
        for (int i = 0; i < n; i++) {
            mu[i] = Math.sin(0.7 * i) * 0.8;
            start[i] = 14.0 * Math.cos(1.3 * i + 0.2);
        }
    }

    double denoise(double x, int i, double sigma) {
        return mu[i] + s * s / (s * s + sigma * sigma) * (x - mu[i]);
    }

    double exact(int i, double sigmaT, double sigma) {
        return mu[i] + (start[i] - mu[i]) * Math.sqrt((s * s + sigma * sigma) / (s * s + sigmaT * sigmaT));
    }

    /** n log-uniform steps from ODE_START to ODE_END (n+1 sigmas, no final 0). */
    static double[] logUniformSigmas(int n) {
        return java.util.Arrays.copyOf(Sigmas.exponential(n + 1, ODE_END, ODE_START), n + 1);
    }

    /** Max |out - x(ODE_END)| for a run over {@link #logUniformSigmas} started from {@link #start}. */
    double maxErrorAtOdeEnd(float[] out) {
        double worst = 0;
        for (int i = 0; i < out.length; i++) {
            worst = Math.max(worst, Math.abs(out[i] - exact(i, ODE_START, ODE_END)));
        }
        return worst;
    }

    Denoiser denoiser(NDManager manager) {
        NDArray muArray = manager.create(toFloats(mu), SHAPE);
        return (x, sigma) -> x.sub(muArray).mul(s * s / (s * s + sigma * sigma)).add(muArray);
    }

    NDArray startArray(NDManager manager) {
        return manager.create(toFloats(start), SHAPE);
    }

    static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
