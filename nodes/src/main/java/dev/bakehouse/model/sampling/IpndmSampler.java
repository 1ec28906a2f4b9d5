package dev.bakehouse.model.sampling;

/**
 * ComfyUI's {@code sample_ipndm} (improved PNDM, Zhang and Chen 2023, via zju-pi/diff-sampler):
 * Adams-Bashforth with the EQUAL-step weights of order {@code min(i+1, 4)} in sigma, whatever
 * the actual grid: {@code x += (sigma_next - sigma) * sum_j b_j d_{i-j}} with b = [1],
 * [3, -1]/2, [23, -16, 5]/12, [55, -59, 37, -9]/24.
 */
public final class IpndmSampler extends MultistepSampler {
    private static final double[][] ADAMS_BASHFORTH = {
        {1},
        {3.0 / 2, -1.0 / 2},
        {23.0 / 12, -16.0 / 12, 5.0 / 12},
        {55.0 / 24, -59.0 / 24, 37.0 / 24, -9.0 / 24},
    };

    public IpndmSampler() {
        super(4);
    }

    @Override
    double coefficient(int order, double[] sigmas, int i, int j) {
        return (sigmas[i + 1] - sigmas[i]) * ADAMS_BASHFORTH[order - 1][j];
    }
}
