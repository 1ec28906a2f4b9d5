package dev.bakehouse.model.sampling;

/** Evenly spaced numbers exactly as numpy builds them (the references' float64 math). */
final class Spacing {
    private Spacing() {}

    /** {@code np.linspace(start, stop, n)}: {@code start + i*step}, the last value set to stop. */
    static double[] linspace(double start, double stop, int n) {
        double[] out = new double[n];
        if (n == 1) {
            out[0] = start;
            return out;
        }
        double step = (stop - start) / (n - 1);
        for (int i = 0; i < n; i++) {
            out[i] = start + i * step;
        }
        out[n - 1] = stop;
        return out;
    }

    /** Copy with a final 0 appended (k-diffusion {@code append_zero}). */
    static double[] appendZero(double[] sigmas) {
        double[] out = java.util.Arrays.copyOf(sigmas, sigmas.length + 1);
        out[sigmas.length] = 0.0;
        return out;
    }
}
