package dev.bakehouse.train.loss;

import static dev.bakehouse.train.Tolerance.assertEachRel;
import static dev.bakehouse.train.Tolerance.doubles;
import static dev.bakehouse.train.Tolerance.longs;
import static dev.bakehouse.train.Tolerance.values;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.FixtureTensors;
import dev.bakehouse.testing.SharedResources;
import dev.bakehouse.train.noise.DdpmSchedule;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss of train-options and train-cases from the fixture's stored UNet outputs: per-sample
 * and final loss at |a-b| <= 1e-4 |b|, and the huber thresholds at 1e-6.
 */
class TrainingLossTest {
    private static final double LOSS_TOL = 1e-4;
    private static final Shape LATENT = new Shape(2, 4, 8, 8);
    private static final LossOptions L2 = LossOptions.defaults();
    private static FixtureTensors cases;
    private static FixtureTensors options;
    private static NDManager base;
    private final DdpmSchedule schedule = DdpmSchedule.sd15();

    @BeforeAll
    static void open() {
        cases = new FixtureTensors("sd15-tiny/train-cases.safetensors");
        options = new FixtureTensors("sd15-tiny/train-options.safetensors");
        base = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(base, cases, options);
    }

    /** One fixture case: which file, prediction and target tensors, options and loss weights. */
    record Case(String name, boolean inOptionsFile, String pred, String target, LossOptions loss, boolean priorWeights) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> optionCases() {
        LossOptions huber = L2.withLoss(LossType.HUBER, HuberSchedule.SNR, 0.1, 1);
        LossOptions smooth = L2.withLoss(LossType.SMOOTH_L1, HuberSchedule.SNR, 0.1, 1);
        String unet = "eps_pred.unet_lora";
        return Stream.of(
                new Case("huber_constant", true, unet, "noise", huber.withLoss(LossType.HUBER, HuberSchedule.CONSTANT, 0.1, 1), false),
                new Case("huber_exponential", true, unet, "noise", huber.withLoss(LossType.HUBER, HuberSchedule.EXPONENTIAL, 0.1, 1), false),
                new Case("huber_snr", true, unet, "noise", huber, false),
                new Case("smooth_l1_constant", true, unet, "noise", smooth.withLoss(LossType.SMOOTH_L1, HuberSchedule.CONSTANT, 0.1, 1), false),
                new Case("smooth_l1_exponential", true, unet, "noise", smooth.withLoss(LossType.SMOOTH_L1, HuberSchedule.EXPONENTIAL, 0.1, 1), false),
                new Case("smooth_l1_snr", true, unet, "noise", smooth, false),
                new Case("huber_exponential_scale2", true, unet, "noise", huber.withLoss(LossType.HUBER, HuberSchedule.EXPONENTIAL, 0.1, 2), false),
                new Case("huber_snr_scale2", true, unet, "noise", huber.withLoss(LossType.HUBER, HuberSchedule.SNR, 0.1, 2), false),
                new Case("huber_snr_min_snr", true, unet, "noise", huber.withMinSnrGamma(5), false),
                new Case("l1", true, unet, "noise", L2.withLoss(LossType.L1, HuberSchedule.SNR, 0.1, 1), false),
                new Case("adaptive_noise", true, "eps_pred.adaptive_noise", "adaptive_noise.noise", L2, false),
                new Case("adaptive_noise_neg", true, "eps_pred.adaptive_noise_neg", "adaptive_noise_neg.noise", L2, false),
                new Case("multires", true, "eps_pred.multires", "multires.noise", L2, false),
                new Case("noise_offset_multires", true, "eps_pred.noise_offset_multires", "noise_offset_multires.noise", L2, false),
                new Case("ip_noise_gamma", true, "eps_pred.ip_noise_gamma", "noise", L2, false),
                new Case("clip_skip2", true, "eps_pred.clip_skip2", "noise", L2, false),
                new Case("clip_skip2_te_lora", true, "eps_pred.clip_skip2_te_lora", "noise", L2, false),
                new Case("long150", true, "eps_pred.long150", "noise", L2, false),
                new Case("long150_te_lora", true, "eps_pred.long150_te_lora", "noise", L2, false),
                new Case("long225", true, "eps_pred.long225", "noise", L2, false),
                new Case("long225_te_lora", true, "eps_pred.long225_te_lora", "noise", L2, false),
                new Case("long225_clip_skip2", true, "eps_pred.long225_clip_skip2", "noise", L2, false),
                new Case("prior_loss_weight", true, unet, "noise", L2, true),
                new Case("prior_loss_weight_min_snr", true, unet, "noise", L2.withMinSnrGamma(5), true),
                new Case("no_lora", false, "eps_pred_no_lora", "target_eps", L2, false),
                new Case("l2", false, "eps_pred_unet_lora", "target_eps", L2, false),
                new Case("min_snr", false, "eps_pred_unet_lora", "target_eps", L2.withMinSnrGamma(5), false),
                new Case("noise_offset", false, "eps_pred_unet_lora_offset", "noise_with_offset", L2, false),
                new Case("v_pred", false, "eps_pred_unet_lora", "target_v", L2.withVParameterization(true, false), false),
                new Case("v_pred_min_snr", false, "eps_pred_unet_lora", "target_v",
                        L2.withVParameterization(true, false).withMinSnrGamma(5), false),
                new Case("te_lora", false, "eps_pred_te_unet_lora", "target_eps", L2, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optionCases")
    void fixtureCase_perSampleAndMeanLossMatch(Case c) {
        FixtureTensors fx = c.inOptionsFile() ? options : cases;
        try (NDManager step = base.newSubManager()) {
            NDArray pred = step.create(fx.floats(c.pred()), LATENT);
            NDArray target = step.create(fx.floats(c.target()), LATENT);
            double[] weights = c.priorWeights()
                    ? TrainingLoss.lossWeights(new boolean[] {false, true}, 0.5)
                    : null;
            if (c.priorWeights()) {
                assertEachRel(options, "loss_weights", weights, 0);
            }
            TrainingLoss.Result result = TrainingLoss.compute(pred, target, longs(fx, "timesteps"), weights, c.loss(), schedule);
            assertEachRel(fx, "loss_per_sample." + c.name(), doubles(result.perSample()), LOSS_TOL);
            assertEachRel(fx, "loss." + c.name(), new double[] {result.loss().getFloat()}, LOSS_TOL);
        }
    }

    @Test
    void huberThresholds_perScheduleAndScale_matchFixture() {
        long[] t = longs(options, "timesteps");
        assertEachRel(options, "huber_c.huber_constant", threshold(HuberSchedule.CONSTANT, 1, t), 1e-6);
        assertEachRel(options, "huber_c.smooth_l1_constant", threshold(HuberSchedule.CONSTANT, 1, t), 1e-6);
        assertEachRel(options, "huber_c.huber_exponential", threshold(HuberSchedule.EXPONENTIAL, 1, t), 1e-6);
        assertEachRel(options, "huber_c.smooth_l1_exponential", threshold(HuberSchedule.EXPONENTIAL, 1, t), 1e-6);
        assertEachRel(options, "huber_c.huber_exponential_scale2", threshold(HuberSchedule.EXPONENTIAL, 2, t), 1e-6);
        assertEachRel(options, "huber_c.huber_snr", threshold(HuberSchedule.SNR, 1, t), 1e-6);
        assertEachRel(options, "huber_c.smooth_l1_snr", threshold(HuberSchedule.SNR, 1, t), 1e-6);
        assertEachRel(options, "huber_c.huber_snr_min_snr", threshold(HuberSchedule.SNR, 1, t), 1e-6);
        assertEachRel(options, "huber_c.huber_snr_scale2", threshold(HuberSchedule.SNR, 2, t), 1e-6);
    }

    @Test
    void minSnrWeights_epsAndV_matchFixture() {
        long[] t = longs(cases, "timesteps");
        assertEachRel(cases, "min_snr_weight_eps_t", LossPostProcessing.factors(L2.withMinSnrGamma(5), t, schedule), 1e-6);
        assertEachRel(cases, "min_snr_weight_v_t",
                LossPostProcessing.factors(L2.withVParameterization(true, false).withMinSnrGamma(5), t, schedule), 1e-6);
    }

    @Test
    void otherPostProcessing_followsKohyaFormulasInOrder() {
        long[] t = longs(cases, "timesteps");
        double[] snr = values(cases, "snr_t");
        LossOptions v = L2.withVParameterization(true, true).withDebiasedEstimationLoss(true).withMinSnrGamma(5);
        LossOptions eps = L2.withVPredLikeLoss(0.3).withDebiasedEstimationLoss(true);
        double[] expectedV = new double[2];
        double[] expectedEps = new double[2];
        for (int b = 0; b < 2; b++) {
            double s = Math.min(snr[b], 1000);
            expectedV[b] = Math.min(snr[b], 5) / (snr[b] + 1) * (s / (s + 1)) / (s + 1);
            double lossScale = s / (s + 1);
            expectedEps[b] = (1 + 0.3 / lossScale) / Math.sqrt(s);
        }
        assertEachRel("scale_v_pred + debiased (v) + min_snr", expectedV, LossPostProcessing.factors(v, t, schedule), 1e-12);
        assertEachRel("v_pred_like_loss + debiased (eps)", expectedEps, LossPostProcessing.factors(eps, t, schedule), 1e-12);
    }

    private double[] threshold(HuberSchedule s, double scale, long[] t) {
        return HuberThreshold.perSample(L2.withLoss(LossType.HUBER, s, 0.1, scale), t, schedule);
    }
}
