package dev.bakehouse.model.sampling;

import java.util.Arrays;

/**
 * Timesteps and sigmas as diffusers' {@code EulerDiscreteScheduler} / {@code DDIMScheduler} build
 * them, for comparing with diffusers pipelines and kohya's sample images. sigma at a fractional
 * timestep is interpolated LINEARLY here (k-diffusion interpolates log-sigma; the two differ only
 * for {@link TimestepSpacing#LINSPACE}).
 */
public final class DiffusersSchedules {
    /** diffusers {@code timestep_spacing}. */
    public enum TimestepSpacing {
        /** {@code arange(n) * (T // n)}, reversed, + steps_offset (SD 1.5 pipeline default, offset 1). */
        LEADING,
        /** {@code linspace(0, T-1, n)} reversed (fractional; Euler's own default). */
        LINSPACE,
        /** {@code round(arange(T, 0, -T/n)) - 1}. */
        TRAILING
    }

    private DiffusersSchedules() {}

    /** The n inference timesteps, descending. {@code stepsOffset} only applies to LEADING. */
    public static double[] timesteps(int trainTimesteps, int steps, TimestepSpacing spacing, int stepsOffset) {
        double[] t = new double[steps];
        switch (spacing) {
            case LEADING -> {
                int ratio = trainTimesteps / steps;
                for (int i = 0; i < steps; i++) {
                    t[i] = (double) (steps - 1 - i) * ratio + stepsOffset;
                }
            }
            case LINSPACE -> {
                double[] up = Spacing.linspace(0, trainTimesteps - 1, steps);
                for (int i = 0; i < steps; i++) {
                    t[i] = up[steps - 1 - i];
                }
            }
            case TRAILING -> {
                double ratio = (double) trainTimesteps / steps;
                for (int i = 0; i < steps; i++) {
                    t[i] = Math.rint(trainTimesteps - i * ratio) - 1;
                }
            }
        }
        return t;
    }

    /** {@code EulerDiscreteScheduler.set_timesteps}: sigma at each timestep (linear interpolation), + 0. */
    public static double[] eulerSigmas(DiscreteSchedule s, int steps, TimestepSpacing spacing, int stepsOffset) {
        double[] t = timesteps(s.timesteps(), steps, spacing, stepsOffset);
        double[] sigmas = new double[steps];
        for (int i = 0; i < steps; i++) {
            sigmas[i] = s.sigmaLinear(t[i]);
        }
        return Spacing.appendZero(sigmas);
    }

    /**
     * {@code use_karras_sigmas=True}: Karras rho=7 between the first and last sigma of
     * {@link #eulerSigmas} for the same spacing, + 0.
     */
    public static double[] karrasSigmas(DiscreteSchedule s, int steps, TimestepSpacing spacing, int stepsOffset) {
        double[] plain = eulerSigmas(s, steps, spacing, stepsOffset);
        return Sigmas.karras(steps, plain[steps - 1], plain[0], Sigmas.KARRAS_RHO);
    }

    /** The timesteps diffusers gives Karras sigmas: {@code _sigma_to_t} of each (final 0 excluded). */
    public static double[] karrasTimesteps(DiscreteSchedule s, int steps, TimestepSpacing spacing, int stepsOffset) {
        double[] sigmas = karrasSigmas(s, steps, spacing, stepsOffset);
        double[] t = new double[steps];
        for (int i = 0; i < steps; i++) {
            t[i] = s.timestepInterpolated(sigmas[i]);
        }
        return t;
    }

    /** {@code DDIMScheduler.set_timesteps} (integer timesteps). LINSPACE rounds as diffusers does. */
    public static long[] ddimTimesteps(int trainTimesteps, int steps, TimestepSpacing spacing, int stepsOffset) {
        double[] t = timesteps(trainTimesteps, steps, spacing, stepsOffset);
        return Arrays.stream(t).mapToLong(v -> (long) Math.rint(v)).toArray(); // numpy rounds half to even
    }
}
