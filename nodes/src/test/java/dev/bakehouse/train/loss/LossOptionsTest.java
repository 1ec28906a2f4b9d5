package dev.bakehouse.train.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class LossOptionsTest {
    private static final LossOptions L2 = LossOptions.defaults();

    @Test
    void huberParametersOutOfRange_areRejectedNamingTheOption() {
        assertMessage("--huber_c must be a positive number, found 0.0", () -> L2.withLoss(LossType.HUBER, HuberSchedule.CONSTANT, 0, 1));
        assertMessage("--huber_c must be in (0, 1] with --huber_schedule exponential",
                () -> L2.withLoss(LossType.SMOOTH_L1, HuberSchedule.EXPONENTIAL, 1.5, 1));
        assertMessage("--huber_scale must be a positive number, found -1.0", () -> L2.withLoss(LossType.HUBER, HuberSchedule.SNR, 0.1, -1));
    }

    @Test
    void huberParameters_areIgnoredForL2AsKohyaDoes() {
        assertEquals(LossType.L2, L2.withLoss(LossType.L2, HuberSchedule.EXPONENTIAL, 7, -1).lossType());
    }

    @Test
    void kohyaConflicts_vPredictionOptions_areRejected() {
        assertMessage("--scale_v_pred_loss_like_noise_pred can be enabled only with --v_parameterization",
                () -> L2.withVParameterization(false, true));
        assertMessage("--v_pred_like_loss cannot be enabled with --v_parameterization",
                () -> L2.withVPredLikeLoss(0.1).withVParameterization(true, false));
        assertMessage("--min_snr_gamma must be a positive number", () -> L2.withMinSnrGamma(-5));
    }

    @Test
    void kohyaNames_parseAndUnknownNamesListTheChoices() {
        assertEquals(LossType.SMOOTH_L1, LossType.fromKohya("smooth_l1"));
        assertEquals(HuberSchedule.EXPONENTIAL, HuberSchedule.fromKohya("exponential"));
        assertMessage("--loss_type: expected one of l1, l2, huber, smooth_l1, found 'mse'", () -> LossType.fromKohya("mse"));
        assertMessage("--huber_schedule: expected one of constant, exponential, snr, found 'linear'",
                () -> HuberSchedule.fromKohya("linear"));
    }

    @Test
    void priorLossWeight_appliesToRegularisationImagesOnly() {
        double[] w = TrainingLoss.lossWeights(new boolean[] {false, true, true}, 0.25);
        assertEquals(1.0, w[0]);
        assertEquals(0.25, w[1]);
        assertMessage("--prior_loss_weight must be a non-negative number, found -1.0",
                () -> TrainingLoss.lossWeights(new boolean[] {true}, -1));
    }

    private static void assertMessage(String expected, Executable build) {
        var e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
