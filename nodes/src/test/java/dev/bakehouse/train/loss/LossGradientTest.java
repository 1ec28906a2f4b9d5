package dev.bakehouse.train.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.bakehouse.train.noise.DdpmSchedule;
import dev.bakehouse.train.noise.NoiseOptions;
import dev.bakehouse.train.noise.SeededDraws;
import dev.bakehouse.train.noise.TrainingNoise;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * d loss / d pred by DJL autograd (float32) against central differences of the same function
 * evaluated in float64, on a spread of elements, for every loss type with weights and snr factors.
 */
class LossGradientTest {
    private static final Shape SHAPE = new Shape(2, 4, 8, 8);
    private static final long[] TIMESTEPS = {20, 900};
    private static final double[] WEIGHTS = {1.0, 0.5};
    private final DdpmSchedule schedule = DdpmSchedule.sd15();

    @Test
    void gradient_l2WithMinSnr_matchesFiniteDifference() {
        checkGradient(LossOptions.defaults().withMinSnrGamma(5));
    }

    @Test
    void gradient_l1_matchesFiniteDifference() {
        checkGradient(LossOptions.defaults().withLoss(LossType.L1, HuberSchedule.SNR, 0.1, 1));
    }

    @Test
    void gradient_huberSnrWithDebiasedEstimation_matchesFiniteDifference() {
        checkGradient(LossOptions.defaults().withLoss(LossType.HUBER, HuberSchedule.SNR, 0.1, 1).withDebiasedEstimationLoss(true));
    }

    @Test
    void gradient_smoothL1ExponentialVPrediction_matchesFiniteDifference() {
        checkGradient(LossOptions.defaults().withLoss(LossType.SMOOTH_L1, HuberSchedule.EXPONENTIAL, 0.1, 2)
                .withVParameterization(true, true));
    }

    private void checkGradient(LossOptions options) {
        SplittableRandom random = new SplittableRandom(11);
        double[] predValues = gaussian(random);
        double[] targetValues = gaussian(random);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray pred = m.create(toFloats(predValues), SHAPE);
            NDArray target = m.create(toFloats(targetValues), SHAPE);
            pred.setRequiresGradient(true);
            float[] grad;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = TrainingLoss.compute(pred, target, TIMESTEPS, WEIGHTS, options, schedule).loss();
                collector.backward(loss);
            }
            grad = pred.getGradient().toFloatArray();
            double h = 1e-4;
            double scale = 0;
            for (float g : grad) {
                scale = Math.max(scale, Math.abs(g));
            }
            for (int i = 0; i < predValues.length; i += 37) {
                double up = lossF64(m, predValues, targetValues, i, h, options);
                double down = lossF64(m, predValues, targetValues, i, -h, options);
                double numeric = (up - down) / (2 * h);
                int index = i;
                double bound = 1e-3 * scale;
                assertTrue(Math.abs(grad[i] - numeric) <= bound, () -> options.lossType() + " element " + index + ": autograd "
                        + grad[index] + " vs finite difference " + numeric);
            }
        }
    }

    private double lossF64(NDManager m, double[] pred, double[] target, int index, double h, LossOptions options) {
        try (NDManager scratch = m.newSubManager()) {
            double[] moved = pred.clone();
            moved[index] += h;
            NDArray p = scratch.create(moved, SHAPE);
            NDArray t = scratch.create(target, SHAPE);
            return TrainingLoss.compute(p, t, TIMESTEPS, WEIGHTS, options, schedule).loss().toType(DataType.FLOAT64, false)
                    .getDouble();
        }
    }

    @Test
    void noiseAndLossSteps_leaveParentManagerArrayCountUnchanged() {
        LossOptions loss = LossOptions.defaults().withLoss(LossType.HUBER, HuberSchedule.SNR, 0.1, 1).withMinSnrGamma(5);
        NoiseOptions noise = NoiseOptions.defaults().withNoiseOffset(0.1, OptionalDouble.of(1), true).withMultires(6, 0.3)
                .withIpNoiseGamma(0.1, true);
        SeededDraws draws = new SeededDraws(3);
        try (NDManager base = NDManager.newBaseManager()) {
            NDArray latents = base.randomNormal(SHAPE);
            NDArray weight = base.ones(new Shape(1, 4, 1, 1));
            weight.setRequiresGradient(true);
            int before = base.getManagedArrays().size();
            for (int i = 0; i < 50; i++) {
                try (NDManager step = base.newSubManager()) {
                    NDArray x = latents.duplicate();
                    x.attach(step);
                    TrainingNoise.NoisyBatch batch = TrainingNoise.sample(x, noise, schedule, draws);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray pred = batch.noisyLatents().mul(weight);
                        collector.backward(TrainingLoss.compute(pred, batch.noise(), batch.timesteps(), null, loss, schedule).loss());
                    }
                    NDArray grad = weight.getGradient();
                    grad.attach(step);
                    ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) weight);
                }
                assertEquals(before, base.getManagedArrays().size(), "arrays in the parent manager after step " + i);
            }
        }
    }

    private static double[] gaussian(SplittableRandom random) {
        double[] out = new double[(int) SHAPE.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
