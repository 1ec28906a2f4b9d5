package dev.bakehouse.train.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.testing.SharedResources;
import dev.bakehouse.train.noise.DdpmSchedule;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** kohya's apply_masked_loss inside {@link TrainingLoss}: ones change nothing, zeros stop the gradient. */
class MaskedLossTest {
    private static NDManager base;
    private static final long[] T = {100, 800};
    private final DdpmSchedule schedule = DdpmSchedule.sd15();

    @BeforeAll
    static void open() {
        base = NDManager.newBaseManager();
        JniUtils.setGradMode(false);
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(base);
    }

    private static NDArray random(NDManager m, Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return OwnedArrays.of(m, v, shape);
    }

    @Test
    void maskOfOnes_equalsThePlainLoss_forEveryLossType() {
        try (NDManager m = base.newSubManager()) {
            NDArray pred = random(m, new Shape(2, 4, 8, 8), 1);
            NDArray target = random(m, new Shape(2, 4, 8, 8), 2);
            NDArray ones = m.ones(new Shape(2, 1, 8, 8));
            for (LossOptions o : new LossOptions[] {LossOptions.defaults(), LossOptions.defaults().withMinSnrGamma(5),
                    LossOptions.defaults().withLoss(LossType.HUBER, HuberSchedule.SNR, 0.1, 1)}) {
                TrainingLoss.Result plain = TrainingLoss.compute(pred, target, T, new double[] {1, 0.5}, o, schedule);
                TrainingLoss.Result masked = TrainingLoss.compute(pred, target, T, new double[] {1, 0.5}, o, schedule, ones);
                assertArrayEquals(plain.perSample().toFloatArray(), masked.perSample().toFloatArray(), 0f, o.toString());
            }
        }
    }

    @Test
    void zeroMaskRegion_getsNoGradient_andScalesTheLossAsKohyaDoes() {
        try (NDManager m = base.newSubManager()) {
            NDArray pred = random(m, new Shape(1, 4, 8, 8), 3);
            NDArray target = random(m, new Shape(1, 4, 8, 8), 4);
            float[] half = new float[64];
            for (int y = 0; y < 8; y++) {
                for (int x = 4; x < 8; x++) {
                    half[y * 8 + x] = 1f; // left half 0, right half 1
                }
            }
            NDArray mask = OwnedArrays.of(m, half, new Shape(1, 1, 8, 8));
            pred.setRequiresGradient(true);
            float loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                TrainingLoss.Result r = TrainingLoss.compute(pred, target, new long[] {500}, null, LossOptions.defaults(),
                        schedule, mask);
                loss = r.loss().getFloat();
                gc.backward(r.loss());
            }
            float[] grad = pred.getGradient().toFloatArray();
            float[] p = pred.toFloatArray();
            float[] t = target.toFloatArray();
            double expected = 0;
            for (int c = 0; c < 4; c++) {
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        int i = (c * 8 + y) * 8 + x;
                        if (x < 4) {
                            assertEquals(0f, grad[i], 0f, "masked-out element " + i);
                        } else {
                            // d/dpred of mean(mask (pred - target)^2) over all 256 elements
                            assertEquals(2 * (p[i] - t[i]) / 256.0, grad[i], 1e-7, "element " + i);
                            expected += (p[i] - t[i]) * (p[i] - t[i]);
                        }
                    }
                }
            }
            assertEquals(expected / 256, loss, 1e-6, "kohya divides by every element, masked or not");
        }
    }

    @Test
    void maskOfTheWrongShape_isRefused() {
        try (NDManager m = base.newSubManager()) {
            NDArray pred = random(m, new Shape(1, 4, 8, 8), 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingLoss.compute(pred, pred,
                    new long[] {1}, null, LossOptions.defaults(), schedule, m.ones(new Shape(1, 1, 4, 4))));
            assertTrue(e.getMessage().contains("mask"), e.getMessage());
        }
    }
}
