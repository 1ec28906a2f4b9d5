package dev.bakehouse.train.noise;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * kohya's noise and timestep options, validated once at the boundary; an empty optional is an
 * option not given (kohya's {@code None}). kohya enables an option by truthiness, so a value of 0
 * ({@code --noise_offset 0}, {@code --multires_noise_iterations 0}) also leaves it off.
 *
 * @param noiseOffset               {@code --noise_offset}
 * @param noiseOffsetRandomStrength {@code --noise_offset_random_strength}: the offset times one U(0, 1) draw
 * @param adaptiveNoiseScale        {@code --adaptive_noise_scale} (requires noise_offset)
 * @param multiresNoiseIterations   {@code --multires_noise_iterations}
 * @param multiresNoiseDiscount     {@code --multires_noise_discount} (kohya's default 0.3)
 * @param ipNoiseGamma              {@code --ip_noise_gamma}
 * @param ipNoiseGammaRandomStrength {@code --ip_noise_gamma_random_strength}
 * @param minTimestep               {@code --min_timestep} (inclusive; default 0)
 * @param maxTimestep               {@code --max_timestep} (exclusive; default num_train_timesteps)
 */
public record NoiseOptions(
        OptionalDouble noiseOffset,
        boolean noiseOffsetRandomStrength,
        OptionalDouble adaptiveNoiseScale,
        OptionalInt multiresNoiseIterations,
        double multiresNoiseDiscount,
        OptionalDouble ipNoiseGamma,
        boolean ipNoiseGammaRandomStrength,
        OptionalInt minTimestep,
        OptionalInt maxTimestep) {
    public static final double DEFAULT_MULTIRES_NOISE_DISCOUNT = 0.3;
    /** kohya documents min_timestep 0~999 and max_timestep 1~1000 (SD's 1000 training steps). */
    public static final int TRAIN_TIMESTEPS = 1000;

    public NoiseOptions {
        finite("noise_offset", noiseOffset);
        finite("adaptive_noise_scale", adaptiveNoiseScale);
        finite("ip_noise_gamma", ipNoiseGamma);
        if (!Double.isFinite(multiresNoiseDiscount)) {
            throw new IllegalArgumentException("--multires_noise_discount must be a finite number, found " + multiresNoiseDiscount);
        }
        if (adaptiveNoiseScale.isPresent() && noiseOffset.isEmpty()) {
            throw new IllegalArgumentException("--adaptive_noise_scale requires --noise_offset (adaptive_noise_scale="
                    + adaptiveNoiseScale.getAsDouble() + " given without noise_offset)");
        }
        if (multiresNoiseIterations.isPresent() && multiresNoiseIterations.getAsInt() < 0) {
            throw new IllegalArgumentException("--multires_noise_iterations must be >= 1 (0 or unset turns it off), found "
                    + multiresNoiseIterations.getAsInt());
        }
        int min = minTimestep.orElse(0);
        int max = maxTimestep.orElse(TRAIN_TIMESTEPS);
        if (min < 0 || min > TRAIN_TIMESTEPS - 1) {
            throw new IllegalArgumentException("--min_timestep must be in 0.." + (TRAIN_TIMESTEPS - 1) + ", found " + min);
        }
        if (max < 1 || max > TRAIN_TIMESTEPS) {
            throw new IllegalArgumentException("--max_timestep must be in 1.." + TRAIN_TIMESTEPS + ", found " + max);
        }
        if (min > max) {
            throw new IllegalArgumentException("--min_timestep (" + min + ") must not exceed --max_timestep (" + max + ")");
        }
        if (min == max && max == TRAIN_TIMESTEPS) {
            // kohya then uses max_timestep itself as the timestep, which is past the schedule's end.
            throw new IllegalArgumentException("--min_timestep == --max_timestep == " + max
                    + " would train at timestep " + max + ", past the last one (" + (TRAIN_TIMESTEPS - 1) + ")");
        }
    }

    /** Every option off: plain Gaussian noise, timesteps uniform in 0..999. */
    public static NoiseOptions defaults() {
        return new NoiseOptions(OptionalDouble.empty(), false, OptionalDouble.empty(), OptionalInt.empty(),
                DEFAULT_MULTIRES_NOISE_DISCOUNT, OptionalDouble.empty(), false, OptionalInt.empty(), OptionalInt.empty());
    }

    public NoiseOptions withNoiseOffset(double offset, OptionalDouble adaptiveScale, boolean randomStrength) {
        return new NoiseOptions(OptionalDouble.of(offset), randomStrength, adaptiveScale, multiresNoiseIterations,
                multiresNoiseDiscount, ipNoiseGamma, ipNoiseGammaRandomStrength, minTimestep, maxTimestep);
    }

    public NoiseOptions withMultires(int iterations, double discount) {
        return new NoiseOptions(noiseOffset, noiseOffsetRandomStrength, adaptiveNoiseScale, OptionalInt.of(iterations),
                discount, ipNoiseGamma, ipNoiseGammaRandomStrength, minTimestep, maxTimestep);
    }

    public NoiseOptions withIpNoiseGamma(double gamma, boolean randomStrength) {
        return new NoiseOptions(noiseOffset, noiseOffsetRandomStrength, adaptiveNoiseScale, multiresNoiseIterations,
                multiresNoiseDiscount, OptionalDouble.of(gamma), randomStrength, minTimestep, maxTimestep);
    }

    public NoiseOptions withTimesteps(OptionalInt min, OptionalInt max) {
        return new NoiseOptions(noiseOffset, noiseOffsetRandomStrength, adaptiveNoiseScale, multiresNoiseIterations,
                multiresNoiseDiscount, ipNoiseGamma, ipNoiseGammaRandomStrength, min, max);
    }

    /** kohya's {@code if args.noise_offset:}. */
    public boolean noiseOffsetEnabled() {
        return noiseOffset.isPresent() && noiseOffset.getAsDouble() != 0;
    }

    /** kohya's {@code if args.multires_noise_iterations:}. */
    public boolean multiresEnabled() {
        return multiresNoiseIterations.isPresent() && multiresNoiseIterations.getAsInt() != 0;
    }

    /** kohya's {@code if args.ip_noise_gamma:}. */
    public boolean ipNoiseEnabled() {
        return ipNoiseGamma.isPresent() && ipNoiseGamma.getAsDouble() != 0;
    }

    private static void finite(String option, OptionalDouble value) {
        if (value.isPresent() && !Double.isFinite(value.getAsDouble())) {
            throw new IllegalArgumentException("--" + option + " must be a finite number, found " + value.getAsDouble());
        }
    }
}
