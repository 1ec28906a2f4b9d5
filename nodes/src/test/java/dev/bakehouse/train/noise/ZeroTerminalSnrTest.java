package dev.bakehouse.train.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * kohya's {@code --zero_terminal_snr}. The expected values were computed in float64 by a separate
 * route, kohya's own: rescale sqrt(alphas_cumprod), convert back to betas, cumprod again.
 */
class ZeroTerminalSnrTest {
    private static final long[] T = {0, 1, 200, 500, 800, 998, 999};
    private static final double[] FIXED = {0.99915, 0.9982334461401823, 0.7370587905980205, 0.2410187827573158,
            0.017641298822328347, 1.967888056621159e-07, 0.0};

    @Test
    void withZeroTerminalSnr_rescalesAlphasCumprodAsKohya_lastTimestepPureNoise() {
        DdpmSchedule fixed = DdpmSchedule.sd15().withZeroTerminalSnr();
        for (int i = 0; i < T.length; i++) {
            assertEquals(FIXED[i], fixed.alphaCumprod(T[i]), 1e-12 * Math.max(FIXED[i], 1e-6), "t = " + T[i]);
        }
        assertEquals(0.0, fixed.alphaCumprod(999), "exactly zero: the last timestep is pure noise");
        for (int t = 1; t < fixed.numTrainTimesteps(); t++) {
            assertTrue(fixed.alphaCumprod(t) < fixed.alphaCumprod(t - 1), "decreasing at t = " + t);
        }
    }

    @Test
    void withZeroTerminalSnr_keepsTheSnrOfTheOriginalSchedule_asKohyasAllSnr() {
        DdpmSchedule plain = DdpmSchedule.sd15();
        DdpmSchedule fixed = plain.withZeroTerminalSnr();
        for (long t : T) {
            assertEquals(plain.snr(t), fixed.snr(t), "all_snr is computed before the fix, t = " + t);
        }
        assertTrue(fixed.alphaCumprod(500) != plain.alphaCumprod(500));
    }
}
