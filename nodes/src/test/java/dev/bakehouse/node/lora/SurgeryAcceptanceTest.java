package dev.bakehouse.node.lora;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.sd.ClipValue;
import dev.bakehouse.node.sd.Conditioning;
import dev.bakehouse.node.sd.HostTensor;
import dev.bakehouse.node.sd.KSamplerNode;
import dev.bakehouse.node.sd.Latent;
import dev.bakehouse.node.sd.ModelNodesHarness;
import dev.bakehouse.node.sd.ModelValue;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.SharedResources;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's acceptance lines for extract and merge, through the nodes: a LoRA applied at run time
 * (weights patched while the sampler runs) and the same LoRA baked into a checkpoint by MergeLoRA
 * give the same UNet output and the same samples, up to float rounding (W + ΔW summed in another
 * order). Tolerance: 1e-4 of the output's largest magnitude.
 */
class SurgeryAcceptanceTest {
    private static final double TOLERANCE = 1e-4;

    @TempDir
    static Path root;

    private static ModelNodesHarness tiny;
    private static LoraValue fixtureLora;

    @BeforeAll
    static void setUp() throws Exception {
        tiny = new ModelNodesHarness(root);
        Path file = tiny.dirs.resolveModel(DataDirs.LORAS, ModelNodesHarness.LORA);
        fixtureLora = new LoraValue(ModelNodesHarness.LORA, file, LoraReader.read(file));
    }

    @AfterAll
    static void tearDown() throws Exception {
        SharedResources.close(tiny);
    }

    @Test
    void extractedLora_appliedAtRunTime_givesTheMergedCheckpointsEps() throws Exception {
        String tuned = SurgeryNodesTest.merge(tiny, Map.of("lora_1", fixtureLora, "ratio_1", 1.0), "acceptance/tuned");
        // rank 2 of a rank-4 difference, clamped: a LoRA that is not the fixture's, so the check is of apply vs merge
        Map<String, Object> in = new HashMap<>();
        in.put("model_org", ModelNodesHarness.CHECKPOINT);
        in.put("model_tuned", tuned);
        in.put("dim", 2L);
        in.put("conv_dim", 2L);
        in.put("clamp_quantile", 0.99);
        in.put("min_diff", 0.01);
        in.put("svd_method", "randomized");
        in.put("save_precision", "float");
        in.put("filename_prefix", "acceptance/extracted");
        NodeResult r = new ExtractLora(tiny.dirs, ComputeDevice.CPU).execute(new NodeInputs("ExtractLoRA #2", in), tiny.context());
        LoraValue extracted = (LoraValue) r.outputs().get(0);
        String merged = SurgeryNodesTest.merge(tiny, Map.of("lora_1", extracted, "ratio_1", 1.0), "acceptance/merged");

        float[] applied = eps(tiny.model().withLora(extracted.name(), extracted.network(), 1f));
        float[] baked = eps((ModelValue) tiny.load(merged).outputs().get(0));
        float[] base = eps(tiny.model());
        assertClose(applied, baked, "eps, run-time LoRA vs merged checkpoint");
        assertTrue(maxDifference(applied, base) > 100 * TOLERANCE * maxAbs(base), "the LoRA must change eps");
    }

    @Test
    void mergeAtRatio1_thenSampling_equalsRunTimeLoraSampling() throws Exception {
        String merged = SurgeryNodesTest.merge(tiny, Map.of("lora_1", fixtureLora, "ratio_1", 1.0), "acceptance/sampling");
        NodeResult base = tiny.load();
        NodeResult withLora = new ApplyLora().execute(new NodeInputs("ApplyLoRA #3", Map.of(
                "model", base.outputs().get(0), "clip", base.outputs().get(1), "lora", fixtureLora,
                "strength_model", 1.0, "strength_clip", 1.0)), tiny.context());
        NodeResult bakedIn = tiny.load(merged);

        float[] applied = sample((ModelValue) withLora.outputs().get(0), (ClipValue) withLora.outputs().get(1));
        float[] baked = sample((ModelValue) bakedIn.outputs().get(0), (ClipValue) bakedIn.outputs().get(1));
        float[] plain = sample((ModelValue) base.outputs().get(0), (ClipValue) base.outputs().get(1));
        assertClose(applied, baked, "3 euler steps, run-time LoRA vs merged checkpoint");
        assertTrue(maxDifference(applied, plain) > 100 * TOLERANCE * maxAbs(plain), "the LoRA must change the sample");
    }

    /** The UNet's output for the fixture's latents, timesteps and context. */
    private static float[] eps(ModelValue model) throws Exception {
        float[] x;
        float[] t;
        float[] context;
        try (SafetensorsFile cases = SafetensorsFile.open(Fixtures.file("sd15-tiny/cases.safetensors"))) {
            x = cases.readFloats("latents");
            t = cases.readFloats("timesteps");
            context = cases.readFloats("context");
        }
        return model.checkpoint().use(sd -> {
            try (NDManager step = sd.manager().newSubManager()) {
                NDArray out = sd.unet().forward(step.create(x, new Shape(2, 4, 8, 8)), step.create(t, new Shape(2)),
                        step.create(context, new Shape(2, 77, 32)));
                return out.toFloatArray();
            }
        });
    }

    private static float[] sample(ModelValue model, ClipValue clip) {
        Conditioning positive = tiny.encode(clip, "a red circle");
        Conditioning negative = tiny.encode(clip, "");
        Map<String, Object> k = new HashMap<>();
        k.put("model", model);
        k.put("seed", 11L);
        k.put("steps", 3L);
        k.put("cfg", 5.0);
        k.put("sampler_name", "euler");
        k.put("scheduler", "normal");
        k.put("positive", positive);
        k.put("negative", negative);
        k.put("latent_image", new Latent(HostTensor.zeros(1, 4, 8, 8)));
        k.put("denoise", 1.0);
        Latent out = (Latent) new KSamplerNode().execute(new NodeInputs("KSampler #3", k), tiny.context()).outputs().get(0);
        return out.samples().toFloatArray();
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        double err = maxDifference(actual, expected);
        double scale = maxAbs(expected);
        assertTrue(err <= TOLERANCE * scale, what + ": max |difference| " + err + " > " + TOLERANCE + " x max " + scale);
    }

    private static double maxDifference(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
