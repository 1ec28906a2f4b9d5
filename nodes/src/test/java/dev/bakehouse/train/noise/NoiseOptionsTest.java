package dev.bakehouse.train.noise;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class NoiseOptionsTest {
    private static final NoiseOptions DEFAULTS = NoiseOptions.defaults();

    @Test
    void adaptiveNoiseScaleWithoutNoiseOffset_isRejectedNamingBothOptions() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NoiseOptions(OptionalDouble.empty(), false,
                OptionalDouble.of(1.0), OptionalInt.empty(), 0.3, OptionalDouble.empty(), false, OptionalInt.empty(),
                OptionalInt.empty()));
        assertTrue(e.getMessage().contains("--adaptive_noise_scale requires --noise_offset"), e.getMessage());
    }

    @Test
    void timestepBounds_outOfRangeOrCrossed_areRejected() {
        assertMessage("--min_timestep must be in 0..999", () -> DEFAULTS.withTimesteps(OptionalInt.of(-1), OptionalInt.empty()));
        assertMessage("--max_timestep must be in 1..1000", () -> DEFAULTS.withTimesteps(OptionalInt.empty(), OptionalInt.of(1001)));
        assertMessage("--min_timestep (600) must not exceed --max_timestep (500)",
                () -> DEFAULTS.withTimesteps(OptionalInt.of(600), OptionalInt.of(500)));
    }

    @Test
    void negativeMultiresIterationsOrNonFiniteValues_areRejected() {
        assertMessage("--multires_noise_iterations must be >= 1", () -> DEFAULTS.withMultires(-2, 0.3));
        assertMessage("--multires_noise_discount must be a finite number", () -> DEFAULTS.withMultires(6, Double.NaN));
        assertMessage("--ip_noise_gamma must be a finite number", () -> DEFAULTS.withIpNoiseGamma(Double.POSITIVE_INFINITY, false));
    }

    @Test
    void zeroValues_leaveOptionsOffAsKohyaTruthinessDoes() {
        NoiseOptions zeros = DEFAULTS.withNoiseOffset(0, OptionalDouble.of(1), false).withMultires(0, 0.3).withIpNoiseGamma(0, false);
        assertFalse(zeros.noiseOffsetEnabled());
        assertFalse(zeros.multiresEnabled());
        assertFalse(zeros.ipNoiseEnabled());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable build) {
        var e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
