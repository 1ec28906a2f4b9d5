package dev.bakehouse.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour outside the reference trajectories: missing gradients, d growth, Adafactor's logged lr. */
class OptimizerBehaviourTest {

    @ParameterizedTest
    @ValueSource(strings = {"AdamW", "AdamW8bit", "Lion", "SGDNesterov", "AdaFactor", "DAdaptAdam", "Prodigy"})
    void step_parameterWithoutGradient_isSkippedLikeTorch(String type) {
        try (NDManager m = NDManager.newBaseManager()) {
            TrainableParam used = OptimizerHarness.param(m, "used", new float[] {0.5f, -0.5f}, 2);
            TrainableParam unused = OptimizerHarness.param(m, "unused", new float[] {0.25f, 0.75f}, 2);
            double lr = type.startsWith("DAdapt") || type.equals("Prodigy") ? 1.0 : 1e-2;
            try (Optimizer opt = Optimizers.create(type, OptimizerArgs.parse(List.of("weight_decay=0.1")), lr,
                    List.of(new ParamGroup("unet", lr, List.of(used, unused))), m)) {
                for (int t = 0; t < 3; t++) {
                    OptimizerHarness.setGradients(m, List.of(used), List.of(new float[] {0.3f, -0.1f}));
                    opt.step();
                }
                assertArrayEquals(new float[] {0.25f, 0.75f}, unused.value().toFloatArray(), type);
                assertTrue(opt.state().tensors().keySet().stream().noneMatch(k -> k.startsWith("unused.")), type);
                assertTrue(used.value().toFloatArray()[0] != 0.5f, type + " must move the used parameter");
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "DAdaptAdam|decouple=True",
        "DAdaptation|decouple=True",
        "DAdaptLion|weight_decay=0",
        "Prodigy|slice_p=3",
    })
    void dAdaptation_correlatedGradients_growDFromD0AndLowerTheLoss(String type, String args) {
        try (NDManager m = NDManager.newBaseManager()) {
            ToyProblem p = new ToyProblem(m, 16, 24, 1.0, 1.0, 11);
            double start = p.loss();
            try (Optimizer opt = Optimizers.create(type, OptimizerArgs.parse(List.of(args)), 1.0, p.groups, m)) {
                List<Double> ds = new ArrayList<>();
                for (int t = 0; t < 40; t++) {
                    p.setGradients(m, t);
                    opt.step();
                    ds.add(opt.logScalars().get("d"));
                }
                assertEquals(1e-6, ds.get(0), 1e-18, type + ": the first step keeps d0");
                for (int i = 1; i < ds.size(); i++) {
                    assertTrue(ds.get(i) >= ds.get(i - 1), type + ": d never falls");
                }
                assertTrue(ds.get(ds.size() - 1) > 100 * 1e-6, type + ": d grew to " + ds.get(ds.size() - 1));
                assertTrue(p.loss() < start, type + ": loss " + start + " -> " + p.loss());
                assertEquals(ds.get(ds.size() - 1), opt.logScalars().get("d*lr"), 0.0);
            }
        }
    }

    @Test
    void adafactorRelativeStep_reportsInitialLrUntilFirstStep_thenFirstTensorsLr() {
        try (NDManager m = NDManager.newBaseManager()) {
            ToyProblem p = new ToyProblem(m, 8, 6, 0, 0, 2);
            try (Optimizer opt = Optimizers.create("AdaFactor", OptimizerArgs.none(), 1e-3, p.groups, m)) {
                assertArrayEquals(new double[] {1e-3, 1e-3}, opt.lrs());
                float[] w = p.params.get(0).value().toFloatArray();
                double rms = 0;
                for (float x : w) {
                    rms += (double) x * x;
                }
                rms = Math.sqrt(rms / w.length);
                p.setGradients(m, 0);
                opt.step();
                // relative step at t=1: max(eps2, RMS) * min(1e-2, 1/sqrt(1))
                assertEquals(Math.max(1e-3, rms) * 1e-2, opt.lrs()[0], 1e-6 * rms * 1e-2);
                // the text encoder's only tensor is all zeros: its scale falls back to eps2
                assertEquals(1e-3 * 1e-2, opt.lrs()[1], 1e-12);
            }
        }
    }
}
