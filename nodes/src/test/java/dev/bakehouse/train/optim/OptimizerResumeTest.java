package dev.bakehouse.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.bakehouse.train.schedule.LrSchedule;
import dev.bakehouse.train.schedule.LrSchedules;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * N steps, save the state to a safetensors file, restore it into a fresh optimizer over
 * parameters loaded with the saved values, continue: every parameter, state tensor and scalar
 * must equal the uninterrupted run's bit for bit.
 */
class OptimizerResumeTest {
    @TempDir
    Path dir;

    private static final int STEPS = 8;
    private static final int SAVE_AT = 4;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "AdamW|1e-2|",
        "AdamW8bit|1e-2|",
        "Lion|1e-3|weight_decay=0.01",
        "Lion8bit|1e-3|",
        "SGDNesterov|1e-1|weight_decay=0.01",
        "SGDNesterov8bit|1e-1|",
        "AdaFactor|1e-3|",
        "DAdaptAdam|1.0|decouple=True weight_decay=0.01 use_bias_correction=True",
        "DAdaptLion|1.0|",
        "DAdaptation|1.0|",
        "Prodigy|1.0|d_coef=2 use_bias_correction=True weight_decay=0.01",
    })
    void resume_fromSavedState_continuesBitExactly(String type, double lr, String args) throws Exception {
        OptimizerArgs parsed = args == null ? OptimizerArgs.none() : OptimizerArgs.parse(List.of(args.split(" ")));
        LrSchedule schedule = LrSchedules.cosine(2, STEPS, 0.5);
        // 64x80 = 5120 elements: above bitsandbytes' min_8bit_size, so the 8-bit path really quantises
        try (NDManager m = NDManager.newBaseManager()) {
            ToyProblem straight = new ToyProblem(m, 64, 80, lr, lr, 7);
            Optimizer a = Optimizers.create(type, parsed, lr, straight.groups, m);
            ToyProblem resumed = new ToyProblem(m, 64, 80, lr, lr, 7);
            Optimizer b = Optimizers.create(type, parsed, lr, resumed.groups, m);
            Path file = dir.resolve("optimizer.safetensors");
            for (int t = 0; t < STEPS; t++) {
                run(a, straight, m, schedule, t);
                if (t < SAVE_AT) {
                    run(b, resumed, m, schedule, t);
                }
                if (t == SAVE_AT - 1) {
                    OptimizerStateFile.write(file, b.state());
                    b.close();
                    ToyProblem fresh = new ToyProblem(m, 64, 80, lr, lr, 7);
                    fresh.copyValuesFrom(resumed);
                    resumed = fresh;
                    b = Optimizers.create(type, parsed, lr, resumed.groups, m);
                    b.load(OptimizerStateFile.read(file));
                }
                if (t >= SAVE_AT) {
                    run(b, resumed, m, schedule, t);
                }
            }
            for (int i = 0; i < straight.params.size(); i++) {
                assertArrayEquals(straight.params.get(i).value().toFloatArray(),
                        resumed.params.get(i).value().toFloatArray(), type + " " + straight.params.get(i).name());
            }
            OptimizerState sa = a.state();
            OptimizerState sb = b.state();
            assertEquals(sa.scalars(), sb.scalars(), type + " scalars");
            assertEquals(sa.tensors(), sb.tensors(), type + " state tensors");
            assertArrayEquals(a.lrs(), b.lrs());
            assertTrue(straight.params.get(0).value().toFloatArray()[0] != new ToyProblem(m, 64, 80, lr, lr, 7)
                    .params.get(0).value().toFloatArray()[0], type + " must have moved the parameters");
            a.close();
            b.close();
        }
    }

    private static void run(Optimizer opt, ToyProblem problem, NDManager m, LrSchedule schedule, int t) {
        opt.setLrFactor(schedule.factor(t));
        problem.setGradients(m, t);
        opt.step();
    }

    @org.junit.jupiter.api.Test
    void load_stateOfOtherOptimizer_isRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            ToyProblem p = new ToyProblem(m, 4, 4, 1e-3, 1e-3, 1);
            try (Optimizer adam = Optimizers.create("AdamW", OptimizerArgs.none(), 1e-3, p.groups, m);
                 Optimizer lion = Optimizers.create("Lion", OptimizerArgs.none(), 1e-3, p.groups, m)) {
                p.setGradients(m, 0);
                adam.step();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lion.load(adam.state()));
                assertTrue(e.getMessage().contains("written by AdamW, cannot load it into Lion"), e.getMessage());
            }
        }
    }
}
