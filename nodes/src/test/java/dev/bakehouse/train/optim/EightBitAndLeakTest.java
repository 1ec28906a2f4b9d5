package dev.bakehouse.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** 8-bit state size and quality, gradient clipping, and no native leak per step. */
class EightBitAndLeakTest {

    @ParameterizedTest
    @CsvSource({"AdamW8bit,AdamW,1e-2", "Lion8bit,Lion,1e-3"})
    void eightBit_stateIsAboutTwoBytesPerParameter_andLossTracksFp32(String eightBit, String fp32, double lr) {
        try (NDManager m = NDManager.newBaseManager()) {
            ToyProblem q = new ToyProblem(m, 128, 256, lr, lr, 3);
            ToyProblem f = new ToyProblem(m, 128, 256, lr, lr, 3);
            double start = q.loss();
            try (Optimizer oq = Optimizers.create(eightBit, OptimizerArgs.none(), lr, q.groups, m);
                 Optimizer of = Optimizers.create(fp32, OptimizerArgs.none(), lr, f.groups, m)) {
                for (int t = 0; t < 60; t++) {
                    q.setGradients(m, t);
                    oq.step();
                    f.setGradients(m, t);
                    of.step();
                }
                long big = q.params.get(0).value().size();
                long bytes8 = oq.state().tensors().entrySet().stream()
                        .filter(e -> e.getKey().startsWith("unet.lora_down."))
                        .mapToLong(e -> e.getValue().data().length).sum();
                long bytes32 = of.state().tensors().entrySet().stream()
                        .filter(e -> e.getKey().startsWith("unet.lora_down."))
                        .mapToLong(e -> e.getValue().data().length).sum();
                int states = eightBit.startsWith("AdamW") ? 2 : 1;
                double perParam = (double) bytes8 / big;
                // one code byte per state plus one float absmax per 256 elements
                assertEquals(states * (1 + 4.0 / 256), perParam, 1e-9, eightBit + " bytes/parameter");
                assertEquals(states * 4.0, (double) bytes32 / big, 1e-9, fp32 + " bytes/parameter");
                // tensors below min_8bit_size (4096) keep fp32 state, as bitsandbytes does
                assertEquals(4 * 5, oq.state().tensors().get("unet.bias.state1").data().length);
                double lq = q.loss();
                double lf = f.loss();
                System.out.printf("%s: loss %.6f -> %.6f; %s %.6f; state %.3f bytes/param%n",
                        eightBit, start, lq, fp32, lf, perParam);
                assertTrue(lf < 0.9 * start, fp32 + " must learn: " + start + " -> " + lf);
                assertEquals(lf, lq, 0.02 * (start - lf), eightBit + " loss must track " + fp32);
            }
        }
    }

    @Test
    void dynamicMap_quantiseRoundTrip_withinHalfAGapOfTheBlockMax() {
        float[] x = new float[600];
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((r.nextDouble() * 2 - 1) * (i < 256 ? 1e-3 : 10));
        }
        byte[] codes = new byte[x.length];
        float[] absmax = new float[DynamicQuantization.blocks(x.length)];
        DynamicQuantization.SIGNED.quantize(x, codes, absmax);
        float[] back = DynamicQuantization.SIGNED.dequantize(codes, absmax);
        float[] code = DynamicQuantization.SIGNED.code();
        assertEquals(3, absmax.length);
        assertEquals(-1f, code[0] < 0 ? -Math.abs(code[0]) : code[0], 0.01f);
        assertEquals(1f, code[255]);
        for (int i = 0; i < x.length; i++) {
            float max = absmax[i / 256];
            // the map's largest gap lies between 0.9 and 1 of the block max
            assertEquals(x[i], back[i], 0.05f * max, "element " + i);
        }
    }

    @Test
    void clipNorm_scalesAllGradientsToMaxNorm_andReportsTotal() {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainableParam a = OptimizerHarness.param(m, "a", new float[] {0, 0}, 2);
            TrainableParam b = OptimizerHarness.param(m, "b", new float[] {0}, 1);
            OptimizerHarness.setGradients(m, List.of(a, b), List.of(new float[] {3, 0}, new float[] {4}));
            double total = Gradients.clipNorm(List.of(a, b), 1.0, m);
            assertEquals(5.0, total, 1e-6);
            assertEquals(3 / 5.0, a.value().getGradient().toFloatArray()[0], 1e-6);
            assertEquals(4 / 5.0, b.value().getGradient().toFloatArray()[0], 1e-6);
            OptimizerHarness.setGradients(m, List.of(a, b), List.of(new float[] {0.3f, 0}, new float[] {0.4f}));
            Gradients.clipNorm(List.of(a, b), 1.0, m);
            assertEquals(0.3f, a.value().getGradient().toFloatArray()[0], 1e-6, "under the limit: unchanged");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"AdamW", "AdamW8bit", "Lion", "Lion8bit", "SGDNesterov", "SGDNesterov8bit", "AdaFactor",
        "DAdaptAdam", "DAdaptLion", "DAdaptation", "Prodigy"})
    void step_manyTimes_keepsNativeArrayCountConstant(String type) {
        try (NDManager m = NDManager.newBaseManager()) {
            ToyProblem p = new ToyProblem(m, 64, 80, 1e-3, 1e-3, 9);
            double lr = type.startsWith("DAdapt") || type.equals("Prodigy") ? 1.0 : 1e-3;
            ToyProblem q = new ToyProblem(m, 64, 80, lr, lr, 9);
            try (Optimizer opt = Optimizers.create(type, OptimizerArgs.none(), lr, q.groups, m)) {
                q.setGradients(m, 0);
                opt.step();
                Gradients.clipNorm(q.params, 1.0, m);
                int after1 = m.getManagedArrays().size();
                // the count reaches into the optimizer's own manager: 8 parameters plus its state
                assertTrue(after1 >= 8 + 4, type + ": " + after1 + " arrays");
                for (int t = 1; t < 25; t++) {
                    q.setGradients(m, t);
                    Gradients.clipNorm(q.params, 1.0, m);
                    opt.step();
                    opt.state();
                }
                assertEquals(after1, m.getManagedArrays().size(), type + ": arrays held after 1 vs 25 steps");
            }
            assertEquals(4, p.params.size());
        }
    }
}
