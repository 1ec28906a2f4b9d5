package dev.bakehouse.train.loss;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * kohya's loss options, validated once at the boundary with the checks of {@code
 * verify_training_args} plus range checks on the huber parameters; an empty optional is an
 * option not given. kohya enables min_snr_gamma and v_pred_like_loss by truthiness, so 0 is off.
 *
 * @param lossType                    {@code --loss_type} (default l2)
 * @param huberSchedule               {@code --huber_schedule} (default snr)
 * @param huberC                      {@code --huber_c} (default 0.1)
 * @param huberScale                  {@code --huber_scale} (default 1; the snr schedule ignores it, as kohya does)
 * @param minSnrGamma                 {@code --min_snr_gamma}
 * @param scaleVPredLossLikeNoisePred {@code --scale_v_pred_loss_like_noise_pred} (v-parameterization only)
 * @param vPredLikeLoss               {@code --v_pred_like_loss} (epsilon-prediction only)
 * @param debiasedEstimationLoss      {@code --debiased_estimation_loss}
 * @param vParameterization           {@code --v_parameterization}: the model predicts v
 */
public record LossOptions(
        LossType lossType,
        HuberSchedule huberSchedule,
        double huberC,
        double huberScale,
        OptionalDouble minSnrGamma,
        boolean scaleVPredLossLikeNoisePred,
        OptionalDouble vPredLikeLoss,
        boolean debiasedEstimationLoss,
        boolean vParameterization) {
    public static final double DEFAULT_HUBER_C = 0.1;
    public static final double DEFAULT_HUBER_SCALE = 1.0;

    public LossOptions {
        Objects.requireNonNull(lossType, "loss_type");
        Objects.requireNonNull(huberSchedule, "huber_schedule");
        if (lossType.usesHuberThreshold()) {
            checkHuber(huberSchedule, huberC, huberScale);
        }
        if (minSnrGamma.isPresent() && !(minSnrGamma.getAsDouble() >= 0 && Double.isFinite(minSnrGamma.getAsDouble()))) {
            throw new IllegalArgumentException("--min_snr_gamma must be a positive number (5 is the paper's value), found "
                    + minSnrGamma.getAsDouble());
        }
        if (vPredLikeLoss.isPresent() && !Double.isFinite(vPredLikeLoss.getAsDouble())) {
            throw new IllegalArgumentException("--v_pred_like_loss must be a finite number, found " + vPredLikeLoss.getAsDouble());
        }
        if (scaleVPredLossLikeNoisePred && !vParameterization) {
            throw new IllegalArgumentException("--scale_v_pred_loss_like_noise_pred can be enabled only with --v_parameterization");
        }
        if (vPredLikeLossEnabled(vPredLikeLoss) && vParameterization) {
            throw new IllegalArgumentException("--v_pred_like_loss cannot be enabled with --v_parameterization");
        }
    }

    /** kohya's defaults: l2 on epsilon, no weighting. */
    public static LossOptions defaults() {
        return new LossOptions(LossType.L2, HuberSchedule.SNR, DEFAULT_HUBER_C, DEFAULT_HUBER_SCALE, OptionalDouble.empty(),
                false, OptionalDouble.empty(), false, false);
    }

    public LossOptions withLoss(LossType type, HuberSchedule schedule, double c, double scale) {
        return new LossOptions(type, schedule, c, scale, minSnrGamma, scaleVPredLossLikeNoisePred, vPredLikeLoss,
                debiasedEstimationLoss, vParameterization);
    }

    public LossOptions withMinSnrGamma(double gamma) {
        return new LossOptions(lossType, huberSchedule, huberC, huberScale, OptionalDouble.of(gamma),
                scaleVPredLossLikeNoisePred, vPredLikeLoss, debiasedEstimationLoss, vParameterization);
    }

    public LossOptions withVParameterization(boolean vPrediction, boolean scaleLikeNoisePred) {
        return new LossOptions(lossType, huberSchedule, huberC, huberScale, minSnrGamma, scaleLikeNoisePred, vPredLikeLoss,
                debiasedEstimationLoss, vPrediction);
    }

    public LossOptions withVPredLikeLoss(double weight) {
        return new LossOptions(lossType, huberSchedule, huberC, huberScale, minSnrGamma, scaleVPredLossLikeNoisePred,
                OptionalDouble.of(weight), debiasedEstimationLoss, vParameterization);
    }

    public LossOptions withDebiasedEstimationLoss(boolean debiased) {
        return new LossOptions(lossType, huberSchedule, huberC, huberScale, minSnrGamma, scaleVPredLossLikeNoisePred,
                vPredLikeLoss, debiased, vParameterization);
    }

    /** kohya's {@code if args.min_snr_gamma:}. */
    public boolean minSnrEnabled() {
        return minSnrGamma.isPresent() && minSnrGamma.getAsDouble() != 0;
    }

    /** kohya's {@code if args.v_pred_like_loss:}. */
    public boolean vPredLikeLossEnabled() {
        return vPredLikeLossEnabled(vPredLikeLoss);
    }

    private static boolean vPredLikeLossEnabled(OptionalDouble value) {
        return value.isPresent() && value.getAsDouble() != 0;
    }

    /**
     * huber_c is the threshold itself (constant) or the value the schedule decays to from 1
     * (exponential: huber_c^(t/T); snr: between 1 and huber_c), so it must lie in (0, 1] there;
     * exponential also takes its logarithm.
     */
    private static void checkHuber(HuberSchedule schedule, double c, double scale) {
        if (!(c > 0) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("--huber_c must be a positive number, found " + c);
        }
        if (schedule != HuberSchedule.CONSTANT && c > 1) {
            throw new IllegalArgumentException("--huber_c must be in (0, 1] with --huber_schedule " + schedule.kohyaName()
                    + " (the threshold decays from 1 towards huber_c), found " + c);
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("--huber_scale must be a positive number, found " + scale);
        }
    }
}
