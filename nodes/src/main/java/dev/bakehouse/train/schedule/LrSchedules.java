package dev.bakehouse.train.schedule;

/**
 * The LambdaLR schedules kohya's {@code get_scheduler_fix} builds from transformers.optimization,
 * with its arguments: {@code T = max_train_steps * num_processes}, W from
 * {@link WarmupSteps#resolve}, {@code num_cycles} 0.5 for cosine and
 * {@code lr_scheduler_num_cycles} (hard restarts) for cosine_with_restarts, and for polynomial
 * {@code lr_end = 1e-7}, {@code lr_init = --learning_rate}. Warmup is {@code s / max(1, W)}, so the
 * first update of every warmup schedule runs with lr 0.
 */
public final class LrSchedules {
    /** transformers' default {@code lr_end} of the polynomial schedule; kohya does not set it. */
    public static final double POLYNOMIAL_LR_END = 1e-7;

    private LrSchedules() {}

    /**
     * @param maxTrainSteps   kohya's {@code --max_train_steps} (optimizer updates)
     * @param numProcesses    accelerate's process count (1 here)
     * @param numCycles       {@code --lr_scheduler_num_cycles}
     * @param power           {@code --lr_scheduler_power}
     * @param learningRate    {@code --learning_rate} (the polynomial schedule's lr_init)
     */
    public static LrSchedule kohya(SchedulerType type, WarmupSteps warmup, long maxTrainSteps, int numProcesses,
                                   int numCycles, double power, double learningRate) {
        long t = maxTrainSteps * numProcesses;
        long w = warmup.resolve(t);
        return switch (type) {
            case CONSTANT, ADAFACTOR -> {
                if (w != 0) {
                    throw new IllegalArgumentException("lr_scheduler " + type.kohyaName()
                            + " does not take lr_warmup_steps (found " + w + "); set it to 0 or use constant_with_warmup");
                }
                yield constant();
            }
            case CONSTANT_WITH_WARMUP -> constantWithWarmup(w);
            case LINEAR -> linear(w, t);
            case COSINE -> cosine(w, t, 0.5);
            case COSINE_WITH_RESTARTS -> cosineWithHardRestarts(w, t, numCycles);
            case POLYNOMIAL -> polynomial(w, t, POLYNOMIAL_LR_END, power, learningRate);
        };
    }

    public static LrSchedule constant() {
        return s -> 1.0;
    }

    private static double warmup(long s, long w) {
        return (double) s / Math.max(1, w);
    }

    public static LrSchedule constantWithWarmup(long w) {
        return s -> s < w ? warmup(s, w) : 1.0;
    }

    public static LrSchedule linear(long w, long t) {
        return s -> s < w ? warmup(s, w) : Math.max(0.0, (double) (t - s) / Math.max(1, t - w));
    }

    /** Progress is not clamped: past T the factor rises again, as transformers' does. */
    public static LrSchedule cosine(long w, long t, double numCycles) {
        return s -> {
            if (s < w) {
                return warmup(s, w);
            }
            double progress = (double) (s - w) / Math.max(1, t - w);
            return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * numCycles * 2.0 * progress)));
        };
    }

    public static LrSchedule cosineWithHardRestarts(long w, long t, int numCycles) {
        return s -> {
            if (s < w) {
                return warmup(s, w);
            }
            double progress = (double) (s - w) / Math.max(1, t - w);
            if (progress >= 1.0) {
                return 0.0;
            }
            return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * ((numCycles * progress) % 1.0))));
        };
    }

    /** The multiplier depends on lr_init and is applied to every group, as upstream. */
    public static LrSchedule polynomial(long w, long t, double lrEnd, double power, double lrInit) {
        if (!(lrInit > lrEnd)) {
            throw new IllegalArgumentException("polynomial lr_scheduler: learning_rate (" + lrInit
                    + ") must be above lr_end (" + lrEnd + ")");
        }
        return s -> {
            if (s < w) {
                return warmup(s, w);
            }
            if (s > t) {
                return lrEnd / lrInit;
            }
            double remaining = 1.0 - (double) (s - w) / (t - w);
            return ((lrInit - lrEnd) * Math.pow(remaining, power) + lrEnd) / lrInit;
        };
    }
}
