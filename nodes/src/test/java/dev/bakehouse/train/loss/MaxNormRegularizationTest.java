package dev.bakehouse.train.loss;

import static dev.bakehouse.train.Tolerance.assertEachRel;
import static dev.bakehouse.train.Tolerance.assertMaxRel;
import static dev.bakehouse.train.Tolerance.longs;
import static dev.bakehouse.train.Tolerance.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.FixtureTensors;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.SharedResources;
import dev.bakehouse.train.loss.MaxNormRegularization.LoraFactors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** --scale_weight_norms on lora.safetensors against train-options' max_norm.* (TE + UNet and UNet only). */
class MaxNormRegularizationTest {
    private static FixtureTensors options;
    private static SafetensorsFile lora;
    private static NDManager base;

    @BeforeAll
    static void open() throws IOException {
        options = new FixtureTensors("sd15-tiny/train-options.safetensors");
        lora = SafetensorsFile.open(Fixtures.file("sd15-tiny/lora.safetensors"));
        base = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(base, lora, options);
    }

    @Test
    void wholeNetwork_scalesWeightsAndReportsAsKohya() throws IOException {
        try (NDManager step = base.newSubManager()) {
            List<LoraFactors> modules = modules(step, "lora_");
            assertEquals(290, modules.size());
            double maxNorm = values(options, "max_norm.scale_weight_norms")[0];
            MaxNormRegularization.Result result = MaxNormRegularization.apply(modules, maxNorm, step);
            MaxNormRegularization.Report report = result.report();
            assertEquals(longs(options, "max_norm.keys_scaled")[0], report.keysScaled(), "keys_scaled");
            assertEachRel(options, "max_norm.avg_key_norm", new double[] {report.avgKeyNorm()}, 1e-5);
            assertEachRel(options, "max_norm.max_key_norm", new double[] {report.maxKeyNorm()}, 1e-5);
            double[] expectedNorms = new double[modules.size()];
            double[] norms = new double[modules.size()];
            for (int i = 0; i < modules.size(); i++) {
                expectedNorms[i] = values(options, "max_norm.norm." + modules.get(i).name())[0];
                norms[i] = report.modules().get(i).norm();
            }
            assertEachRel("max_norm.norm.* (290 modules)", expectedNorms, norms, 1e-5);
            double worst = 0;
            for (LoraFactors scaled : result.weights()) {
                String prefix = "max_norm.scaled." + scaled.name();
                worst = Math.max(worst, quiet(() -> assertMaxRel(options, prefix + ".lora_down.weight", scaled.down(), 1e-6)));
                worst = Math.max(worst, quiet(() -> assertMaxRel(options, prefix + ".lora_up.weight", scaled.up(), 1e-6)));
            }
            System.out.printf("CONFORMANCE max_norm.scaled.* (580 tensors) worst max|a-b|/max|b| = %.3e (tol 1e-6)%n", worst);
        }
    }

    @Test
    void unetOnlyNetwork_visitsOnlyUnetModules() throws IOException {
        try (NDManager step = base.newSubManager()) {
            List<LoraFactors> modules = modules(step, "lora_unet_");
            MaxNormRegularization.Report report = MaxNormRegularization.measure(modules, 3.0);
            assertEquals(longs(options, "max_norm.unet_only.keys_scaled")[0], report.keysScaled(), "keys_scaled");
            assertEachRel(options, "max_norm.unet_only.avg_key_norm", new double[] {report.avgKeyNorm()}, 1e-5);
            assertEachRel(options, "max_norm.unet_only.max_key_norm", new double[] {report.maxKeyNorm()}, 1e-5);
        }
    }

    @Test
    void hugeMaxNorm_scalesNothing_andNonPositiveIsRejected() throws IOException {
        try (NDManager step = base.newSubManager()) {
            List<LoraFactors> modules = modules(step, "lora_te_");
            assertEquals(0, MaxNormRegularization.measure(modules, 1e9).keysScaled());
            var e = assertThrows(IllegalArgumentException.class, () -> MaxNormRegularization.measure(modules, 0));
            assertEquals("--scale_weight_norms must be a positive number, found 0.0", e.getMessage());
        }
    }

    private static List<LoraFactors> modules(NDManager manager, String prefix) throws IOException {
        List<LoraFactors> out = new ArrayList<>();
        for (String key : lora.names()) {
            if (key.startsWith(prefix) && key.endsWith(".alpha")) {
                String module = key.substring(0, key.length() - ".alpha".length());
                out.add(new LoraFactors(module, read(manager, module + ".lora_down.weight"),
                        read(manager, module + ".lora_up.weight"), lora.readDoubles(key)[0]));
            }
        }
        return out;
    }

    private static ai.djl.ndarray.NDArray read(NDManager manager, String key) throws IOException {
        return manager.create(lora.readFloats(key), new Shape(lora.info(key).shape()));
    }

    /** Runs a per-tensor check without its line of output (580 of them). */
    private static double quiet(java.util.function.DoubleSupplier check) {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            return check.getAsDouble();
        } finally {
            System.setOut(out);
        }
    }
}
