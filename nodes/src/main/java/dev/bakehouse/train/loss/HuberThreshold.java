package dev.bakehouse.train.loss;

import dev.bakehouse.train.noise.DdpmSchedule;

/** kohya's {@code get_huber_threshold_if_needed}: the per-sample huber_c of a batch, in float64. */
public final class HuberThreshold {
    private HuberThreshold() {}

    /**
     * constant: huber_c * huber_scale; exponential: huber_scale * exp(-alpha t), alpha = -ln(huber_c) / T
     * (= huber_scale * huber_c^(t/T)); snr: (1 - huber_c) / (1 + sigma_t)^2 + huber_c with
     * sigma_t = sqrt((1 - ac_t) / ac_t), huber_scale not applied (kohya's rule).
     */
    public static double[] perSample(LossOptions options, long[] timesteps, DdpmSchedule schedule) {
        double c = options.huberC();
        double[] out = new double[timesteps.length];
        for (int b = 0; b < timesteps.length; b++) {
            out[b] = switch (options.huberSchedule()) {
                case CONSTANT -> c * options.huberScale();
                case EXPONENTIAL -> {
                    double alpha = -Math.log(c) / schedule.numTrainTimesteps();
                    yield Math.exp(-alpha * timesteps[b]) * options.huberScale();
                }
                case SNR -> {
                    double ac = schedule.alphaCumprod(timesteps[b]);
                    double sigma = Math.sqrt((1.0 - ac) / ac);
                    yield (1 - c) / ((1 + sigma) * (1 + sigma)) + c;
                }
            };
        }
        return out;
    }
}
