package dev.bakehouse.model.sampling;

/**
 * k-diffusion {@code sample_lms}: a linear multistep (Adams-Bashforth) method in sigma of order
 * up to 4 on the variable step sigmas. Step i uses the last {@code min(i+1, order)} slopes
 * {@code d_{i-j}} with weights
 * {@code c_j = integral from sigma_i to sigma_{i+1} of the Lagrange basis polynomial of node
 * sigma_{i-j}} ({@code linear_multistep_coeff}), so the first steps ramp up from Euler.
 *
 * <p>k-diffusion integrates with scipy's adaptive {@code quad}; the basis polynomial has degree
 * order-1 <= 3, so 4-point Gauss-Legendre (exact to degree 7) gives the same integral in double
 * precision without adaptivity.
 */
public final class LmsSampler extends MultistepSampler {
    /** k-diffusion's and ComfyUI's default order. */
    public static final int DEFAULT_ORDER = 4;

    private static final double[] GAUSS_NODES;
    private static final double[] GAUSS_WEIGHTS;

    static {
        double inner = Math.sqrt(3.0 / 7 - 2.0 / 7 * Math.sqrt(6.0 / 5));
        double outer = Math.sqrt(3.0 / 7 + 2.0 / 7 * Math.sqrt(6.0 / 5));
        double innerWeight = (18 + Math.sqrt(30)) / 36;
        double outerWeight = (18 - Math.sqrt(30)) / 36;
        GAUSS_NODES = new double[] {-outer, -inner, inner, outer};
        GAUSS_WEIGHTS = new double[] {outerWeight, innerWeight, innerWeight, outerWeight};
    }

    public LmsSampler() {
        this(DEFAULT_ORDER);
    }

    /** @param order 1 (Euler) to 4 */
    public LmsSampler(int order) {
        super(order);
    }

    /**
     * {@code linear_multistep_coeff(order, sigmas, i, j)}: the integral over [sigmas[i],
     * sigmas[i+1]] of the Lagrange basis polynomial that is 1 at sigmas[i-j] and 0 at the other
     * nodes sigmas[i], sigmas[i-1], ..., sigmas[i-order+1].
     */
    @Override
    double coefficient(int order, double[] sigmas, int i, int j) {
        if (order - 1 > i) {
            throw new IllegalArgumentException("lms order " + order + " too high for step " + i);
        }
        double from = sigmas[i];
        double to = sigmas[i + 1];
        double half = (to - from) / 2;
        double centre = (to + from) / 2;
        double sum = 0;
        for (int q = 0; q < GAUSS_NODES.length; q++) {
            double tau = centre + half * GAUSS_NODES[q];
            double basis = 1;
            for (int k = 0; k < order; k++) {
                if (k != j) {
                    basis *= (tau - sigmas[i - k]) / (sigmas[i - j] - sigmas[i - k]);
                }
            }
            sum += GAUSS_WEIGHTS[q] * basis;
        }
        return sum * half;
    }
}
