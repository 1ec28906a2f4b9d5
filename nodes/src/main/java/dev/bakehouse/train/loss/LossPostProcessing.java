package dev.bakehouse.train.loss;

import dev.bakehouse.train.noise.DdpmSchedule;

/**
 * kohya's {@code post_process_loss}: each option multiplies the per-sample loss by a factor of the
 * sample's snr, so the whole step is one float64 factor per sample. kohya's order: min_snr_gamma,
 * scale_v_pred_loss_like_noise_pred, v_pred_like_loss, debiased_estimation_loss.
 */
public final class LossPostProcessing {
    /** kohya caps snr at 1000 in these weights (snr at t = 0 is about 1175 for SD). */
    private static final double SNR_CAP = 1000;

    private LossPostProcessing() {}

    /** The per-sample factor; all 1 when no option is on. */
    public static double[] factors(LossOptions options, long[] timesteps, DdpmSchedule schedule) {
        double[] out = new double[timesteps.length];
        for (int b = 0; b < timesteps.length; b++) {
            out[b] = factor(options, schedule.snr(timesteps[b]));
        }
        return out;
    }

    static double factor(LossOptions options, double snr) {
        double f = 1;
        if (options.minSnrEnabled()) {
            // apply_snr_weight: min(snr, gamma) / snr, or / (snr + 1) when the model predicts v
            double clipped = Math.min(snr, options.minSnrGamma().getAsDouble());
            f *= clipped / (options.vParameterization() ? snr + 1 : snr);
        }
        double capped = Math.min(snr, SNR_CAP);
        double likeNoise = capped / (capped + 1);
        if (options.scaleVPredLossLikeNoisePred()) {
            f *= likeNoise;
        }
        if (options.vPredLikeLossEnabled()) {
            // add_v_prediction_like_loss: loss + loss / scale * v_pred_like_loss
            f *= 1 + options.vPredLikeLoss().getAsDouble() / likeNoise;
        }
        if (options.debiasedEstimationLoss()) {
            f *= options.vParameterization() ? 1 / (capped + 1) : 1 / Math.sqrt(capped);
        }
        return f;
    }
}
