package dev.bakehouse.model.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ComfyUI's KSampler schedulers that are implemented here, under their ComfyUI names. Each turns
 * a step count into n+1 sigmas (descending, ending in 0) for a discrete-time model ({@code beta}
 * may give fewer, see {@link Sigmas#beta}). All in double precision; ComfyUI rounds the result to
 * float32.
 */
public enum SigmaScheduler {
    /** Uniform in timestep from T-1 to 0, log-sigma interpolation ({@code normal_scheduler}). */
    NORMAL("normal") {
        @Override
        public double[] sigmas(DiscreteSchedule s, int steps) {
            return uniformTimesteps(s, steps, false);
        }
    },
    /** Karras rho=7 between the trained sigma_min and sigma_max. */
    KARRAS("karras") {
        @Override
        public double[] sigmas(DiscreteSchedule s, int steps) {
            return Sigmas.karras(steps, s.sigmaMin(), s.sigmaMax(), Sigmas.KARRAS_RHO);
        }
    },
    /** Log-uniform between sigma_max and sigma_min. */
    EXPONENTIAL("exponential") {
        @Override
        public double[] sigmas(DiscreteSchedule s, int steps) {
            return Sigmas.exponential(steps, s.sigmaMin(), s.sigmaMax());
        }
    },
    /** {@code normal} over steps+1 points with the last dropped (SGM's uniform schedule). */
    SGM_UNIFORM("sgm_uniform") {
        @Override
        public double[] sigmas(DiscreteSchedule s, int steps) {
            return uniformTimesteps(s, steps, true);
        }
    },
    /** Every (T/steps)-th trained sigma from the top ({@code simple_scheduler}). */
    SIMPLE("simple") {
        @Override
        public double[] sigmas(DiscreteSchedule s, int steps) {
            double[] trained = s.sigmas();
            double stride = (double) trained.length / steps;
            double[] out = new double[steps + 1];
            for (int x = 0; x < steps; x++) {
                out[x] = trained[trained.length - 1 - (int) (x * stride)];
            }
            return out;
        }
    },
    /** DDIM's uniform timesteps 1, 1+k, 1+2k, ... reversed, + 0 ({@code ddim_scheduler}). */
    DDIM_UNIFORM("ddim_uniform") {
        @Override
        public double[] sigmas(DiscreteSchedule s, int steps) {
            double[] trained = s.sigmas();
            List<Double> sigs = new ArrayList<>();
            int x = 1;
            int n = steps;
            if (Math.abs(trained[x]) <= 1e-5) {
                n += 1;
            } else {
                sigs.add(0.0);
            }
            int stride = Math.max(trained.length / n, 1);
            while (x < trained.length) {
                sigs.add(trained[x]);
                x += stride;
            }
            double[] out = new double[sigs.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = sigs.get(sigs.size() - 1 - i);
            }
            return out;
        }
    },
    /** Trained sigmas at Beta(0.6, 0.6) quantiles of the timesteps (Lee et al. 2024). */
    BETA("beta") {
        @Override
        public double[] sigmas(DiscreteSchedule s, int steps) {
            return Sigmas.beta(s, steps, Sigmas.BETA_ALPHA, Sigmas.BETA_BETA);
        }
    },
    /** Mochi's schedule: linear then quadratic in 1 - sigma/sigma_max. */
    LINEAR_QUADRATIC("linear_quadratic") {
        @Override
        public double[] sigmas(DiscreteSchedule s, int steps) {
            return Sigmas.linearQuadratic(steps, s.sigmaMax(), Sigmas.LINEAR_QUADRATIC_THRESHOLD);
        }
    },
    /** Uniform in arctan(sigma) between sigma_max and sigma_min. */
    KL_OPTIMAL("kl_optimal") {
        @Override
        public double[] sigmas(DiscreteSchedule s, int steps) {
            return Sigmas.klOptimal(steps, s.sigmaMin(), s.sigmaMax());
        }
    };

    private final String comfyName;

    SigmaScheduler(String comfyName) {
        this.comfyName = comfyName;
    }

    /** The name ComfyUI's KSampler uses ({@code scheduler} input). */
    public String comfyName() {
        return comfyName;
    }

    /** n+1 sigmas for {@code steps} steps. */
    public abstract double[] sigmas(DiscreteSchedule schedule, int steps);

    public static SigmaScheduler fromComfyName(String name) {
        for (SigmaScheduler s : values()) {
            if (s.comfyName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scheduler '" + name + "', expected one of "
                + Arrays.stream(values()).map(SigmaScheduler::comfyName).toList());
    }

    /** {@code normal_scheduler}: timesteps from timestep(sigma_max) to timestep(sigma_min). */
    private static double[] uniformTimesteps(DiscreteSchedule s, int steps, boolean sgm) {
        double start = s.timestep(s.sigmaMax());
        double end = s.timestep(s.sigmaMin());
        double[] t;
        boolean appendZero = true;
        if (sgm) {
            t = Arrays.copyOf(Spacing.linspace(start, end, steps + 1), steps);
        } else {
            int n = steps;
            if (Math.abs(s.sigma(end)) <= 1e-5) {
                n += 1;
                appendZero = false;
            }
            t = Spacing.linspace(start, end, n);
        }
        double[] out = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = s.sigma(t[i]);
        }
        return appendZero ? Spacing.appendZero(out) : out;
    }
}
