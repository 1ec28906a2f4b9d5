package dev.bakehouse.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ComfyUI's {@code beta}, {@code linear_quadratic} and {@code kl_optimal} schedulers against
 * values derived here independently in double: trained sigmas from the fixture's
 * {@code alphas_cumprod_f64}, the Beta(0.6, 0.6) quantiles by bisection on an incomplete beta
 * integral of our own, the linear-quadratic curve from its defining conditions, kl_optimal as
 * equal steps in arctan(sigma).
 */
class NewSchedulersTest {
    private static final int STEPS = 20;
    private static final DiscreteSchedule SD15 = DiscreteSchedule.sd15();
    /** README of sd15-tiny: sigma(0) and sigma(999). */
    private static final double SIGMA_MIN = 0.029168;
    private static final double SIGMA_MAX = 14.614642;
    private static double[] trained;

    @BeforeAll
    static void readTrainedSigmas() throws IOException {
        try (SafetensorsFile cases = SafetensorsFile.open(Fixtures.file("sd15-tiny/cases.safetensors"))) {
            double[] ac = cases.readDoubles("alphas_cumprod_f64");
            trained = new double[ac.length];
            for (int t = 0; t < ac.length; t++) {
                trained[t] = Math.sqrt((1 - ac[t]) / ac[t]);
            }
        }
    }

    private static void assertSigmas(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }

    /**
     * Regularized incomplete beta I_x(a, a) of a SYMMETRIC Beta(a, a). Substituting t = u^(1/a)
     * removes the t^(a-1) singularity: the integral from 0 to x is (1/a) times the integral from 0
     * to x^a of (1 - u^(1/a))^(a-1) du, smooth for x <= 1/2; symmetry covers x > 1/2.
     */
    private static double symmetricBetaCdf(double x, double a) {
        if (x > 0.5) {
            return 1 - symmetricBetaCdf(1 - x, a);
        }
        return lowerIntegral(x, a) / (2 * lowerIntegral(0.5, a));
    }

    private static double lowerIntegral(double x, double a) {
        int n = 4000; // Simpson intervals
        double end = Math.pow(x, a);
        double h = end / n;
        double sum = 0;
        for (int k = 0; k <= n; k++) {
            double f = Math.pow(1 - Math.pow(k * h, 1 / a), a - 1);
            sum += f * (k == 0 || k == n ? 1 : (k % 2 == 1 ? 4 : 2));
        }
        return sum * h / 3 / a;
    }

    private static double symmetricBetaQuantile(double q, double a) {
        if (q == 0.5) {
            return 0.5; // the median of a symmetric distribution, exactly (bisection would stop a hair off)
        }
        double lo = 0, hi = 1;
        for (int it = 0; it < 60; it++) {
            double mid = (lo + hi) / 2;
            if (symmetricBetaCdf(mid, a) < q) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    @Test
    void beta_20Steps_trainedSigmasAtBetaQuantileTimesteps() {
        List<Integer> timesteps = new ArrayList<>();
        for (int k = 0; k < STEPS; k++) {
            int t = (int) Math.rint(symmetricBetaQuantile(1 - k / (double) STEPS, 0.6) * 999);
            if (timesteps.isEmpty() || timesteps.get(timesteps.size() - 1) != t) {
                timesteps.add(t);
            }
        }
        // the same list from scipy.stats.beta.ppf (ComfyUI's own call), checked by hand once
        assertEquals(List.of(999, 986, 959, 922, 876, 823, 765, 703, 637, 569, 500, 430, 362, 296, 234, 176, 123, 77, 40, 13),
                timesteps);
        double[] expected = new double[STEPS + 1];
        for (int i = 0; i < STEPS; i++) {
            expected[i] = trained[timesteps.get(i)];
        }
        double[] sigmas = SigmaScheduler.BETA.sigmas(SD15, STEPS);
        assertSigmas(expected, sigmas, "beta");
        assertEquals(SIGMA_MAX, sigmas[0], 1e-6);
        assertEquals(0.0, sigmas[STEPS]);
    }

    @Test
    void beta_twoSteps_medianTieRoundsHalfToEven_likeNumpyRint() {
        // ppf(0.5) of a symmetric beta is exactly 0.5: 499.5 rounds to 500
        assertSigmas(new double[] {trained[999], trained[500], 0.0}, SigmaScheduler.BETA.sigmas(SD15, 2), "beta 2 steps");
    }

    @Test
    void beta_moreStepsThanDistinctTimesteps_skipsRepeats() {
        double[] sigmas = SigmaScheduler.BETA.sigmas(SD15, 1000);
        assertEquals(847 + 1, sigmas.length); // scipy: 847 distinct timesteps for 1000 steps
        for (int i = 1; i < sigmas.length; i++) {
            assertTrue(sigmas[i] < sigmas[i - 1], "strictly descending at " + i);
        }
    }

    @Test
    void linearQuadratic_20Steps_linearThenQuadraticToZero() {
        double threshold = 0.025;
        int linear = STEPS / 2;
        int quadratic = STEPS - linear;
        double slope = threshold / linear;
        // q(i) = threshold + slope (i - linear) + c (i - linear)^2 continues the line in value and slope and hits 1 at STEPS
        double c = (1 - threshold - slope * quadratic) / ((double) quadratic * quadratic);
        double[] expected = new double[STEPS + 1];
        for (int i = 0; i <= STEPS; i++) {
            double u = i < linear ? slope * i : threshold + slope * (i - linear) + c * (i - linear) * (i - linear);
            expected[i] = (1 - u) * SD15.sigmaMax();
        }
        double[] sigmas = SigmaScheduler.LINEAR_QUADRATIC.sigmas(SD15, STEPS);
        assertSigmas(expected, sigmas, "linear_quadratic");
        assertEquals(SIGMA_MAX, sigmas[0], 1e-6);
        assertEquals(0.0, sigmas[STEPS], 1e-12);
        assertEquals(SIGMA_MAX * (1 - threshold), sigmas[linear], 1e-6);
        assertArrayEquals(new double[] {SD15.sigmaMax(), 0.0}, SigmaScheduler.LINEAR_QUADRATIC.sigmas(SD15, 1));
    }

    @Test
    void klOptimal_20Steps_equalStepsInArctanSigma() {
        double top = Math.atan(trained[999]);
        double bottom = Math.atan(trained[0]);
        double[] expected = new double[STEPS + 1];
        for (int i = 0; i < STEPS; i++) {
            expected[i] = Math.tan(top + (bottom - top) * i / (STEPS - 1));
        }
        double[] sigmas = SigmaScheduler.KL_OPTIMAL.sigmas(SD15, STEPS);
        assertSigmas(expected, sigmas, "kl_optimal");
        assertEquals(SIGMA_MAX, sigmas[0], 1e-6);
        assertEquals(SIGMA_MIN, sigmas[STEPS - 1], 1e-6);
        assertEquals(0.0, sigmas[STEPS]);
        assertArrayEquals(new double[] {SD15.sigmaMax(), 0.0}, SigmaScheduler.KL_OPTIMAL.sigmas(SD15, 1), 1e-12);
    }

    @Test
    void newSchedulers_byComfyName() {
        assertEquals(SigmaScheduler.BETA, SigmaScheduler.fromComfyName("beta"));
        assertEquals(SigmaScheduler.LINEAR_QUADRATIC, SigmaScheduler.fromComfyName("linear_quadratic"));
        assertEquals(SigmaScheduler.KL_OPTIMAL, SigmaScheduler.fromComfyName("kl_optimal"));
    }
}
