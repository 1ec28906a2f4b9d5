package dev.bakehouse.node.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bakehouse.io.FileHashes;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.format.LoraTensor;
import dev.bakehouse.lora.ops.MergeProvenance;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.FakeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.sd.CheckpointFile;
import dev.bakehouse.node.sd.ModelNodesHarness;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.TensorInfo;
import dev.bakehouse.testing.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ExtractLoRA, MergeLoRA, MergeLoRAs and ResizeLoRA called directly on the tiny fixture: where they
 * save, what the files hold (checked against the fixture LoRA's ΔW), the recorded sources, and the
 * errors for bad input. The fixture LoRA is rank 4 (conv_dim 4), so the difference between the
 * tiny model and the tiny model with it merged is exactly rank 4 per module.
 */
class SurgeryNodesTest {
    @TempDir
    static Path root;

    private static ModelNodesHarness tiny;
    private static LoraValue fixtureLora;
    /** tiny + the fixture LoRA at ratio 1, made by MergeLoRA. */
    private static String tuned;

    @BeforeAll
    static void setUp() throws Exception {
        tiny = new ModelNodesHarness(root);
        Path file = tiny.dirs.resolveModel(DataDirs.LORAS, ModelNodesHarness.LORA);
        fixtureLora = new LoraValue(ModelNodesHarness.LORA, file, LoraReader.read(file));
        tuned = merge(tiny, Map.of("lora_1", fixtureLora, "ratio_1", 1.0), "tuned/tiny");
    }

    @AfterAll
    static void tearDown() throws Exception {
        SharedResources.close(tiny);
    }

    /** MergeLoRA into the tiny checkpoint; the merged checkpoint's name. */
    static String merge(ModelNodesHarness tiny, Map<String, Object> slots, String prefix) throws Exception {
        return (String) merge(tiny, slots, prefix, "keep").outputs().get(0);
    }

    private static NodeResult merge(Map<String, Object> slots, String prefix) throws Exception {
        return merge(tiny, slots, prefix, "keep");
    }

    private static NodeResult merge(ModelNodesHarness tiny, Map<String, Object> slots, String prefix, String precision)
            throws Exception {
        Map<String, Object> in = new HashMap<>(slots);
        in.put("ckpt_name", ModelNodesHarness.CHECKPOINT);
        in.putIfAbsent("block_weights_1", "");
        in.put("save_precision", precision);
        in.put("filename_prefix", prefix);
        return new MergeLora(tiny.dirs).execute(new NodeInputs("MergeLoRA #4", in), tiny.context());
    }

    private static NodeResult extract(String org, String tunedName, long convDim, String prefix, FakeContext ctx) throws Exception {
        Map<String, Object> in = new HashMap<>();
        in.put("model_org", org);
        in.put("model_tuned", tunedName);
        in.put("dim", 4L);
        in.put("conv_dim", convDim);
        in.put("clamp_quantile", 1.0);
        in.put("min_diff", 0.01);
        in.put("svd_method", "randomized");
        in.put("save_precision", "float");
        in.put("filename_prefix", prefix);
        return new ExtractLora(tiny.dirs, dev.bakehouse.model.ComputeDevice.CPU)
                .execute(new NodeInputs("ExtractLoRA #2", in), ctx);
    }

    /** The weight shape a LoRA module adapts: up's rows, down's other dims. */
    static long[] weightShape(LoraModule m) {
        long[] shape = m.tensor("lora_down.weight").orElseThrow().shape();
        shape[0] = m.tensor("lora_up.weight").orElseThrow().rows();
        return shape;
    }

    /** max |a - b| / max |b|. */
    static double relativeError(float[] a, float[] b) {
        double err = 0;
        double scale = 0;
        for (int i = 0; i < b.length; i++) {
            err = Math.max(err, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return err / scale;
    }

    @Test
    void extractLora_rankDifference_rebuildsEveryModulesDeltaW_andSavesUnderLoras() throws Exception {
        FakeContext ctx = tiny.context();
        NodeResult r = extract(ModelNodesHarness.CHECKPOINT, tuned, 4, "extracted/full", ctx);
        LoraValue lora = (LoraValue) r.outputs().get(0);
        assertEquals("extracted/full_00001_.safetensors", lora.name());
        assertTrue(tiny.dirs.listModels(DataDirs.LORAS).contains(lora.name()));
        LoraNetwork saved = LoraReader.read(lora.file());
        assertEquals(fixtureLora.network().modules().keySet(), saved.modules().keySet());
        double worst = 0;
        for (LoraModule expected : fixtureLora.network().modules().values()) {
            long[] shape = weightShape(expected);
            worst = Math.max(worst, relativeError(saved.module(expected.name()).deltaWeight(shape), expected.deltaWeight(shape)));
        }
        assertTrue(worst < 1e-4, "worst relative ΔW error " + worst);
        assertEquals("full_00001_", saved.metadata().get("modelspec.title"));
        String report = (String) r.outputs().get(1);
        assertTrue(report.contains("290 modules") && report.contains("text encoder included"), report);
        assertEquals(290, ctx.progress.size());
        assertEquals(290, ctx.progress.get(289)[0]);
        assertEquals(290, ctx.progress.get(289)[1]);
    }

    @Test
    void extractLora_withoutConvDim_leavesResnetModulesOut_andCountsUpTheFileName() throws Exception {
        NodeResult first = extract(ModelNodesHarness.CHECKPOINT, tuned, 0, "extracted/noconv", tiny.context());
        NodeResult second = extract(ModelNodesHarness.CHECKPOINT, tuned, 0, "extracted/noconv", tiny.context());
        LoraValue a = (LoraValue) first.outputs().get(0);
        LoraValue b = (LoraValue) second.outputs().get(0);
        assertNotEquals(a.name(), b.name());
        assertTrue(Files.isRegularFile(a.file()) && Files.isRegularFile(b.file()));
        long resnet = a.network().modules().keySet().stream().filter(n -> n.contains("resnets") || n.contains("samplers")).count();
        assertEquals(0, resnet);
        assertTrue(a.network().modules().size() < 290, "modules: " + a.network().modules().size());
    }

    @Test
    void extractLora_sameModelTwice_leavesTextEncoderOut() throws Exception {
        NodeResult r = extract(ModelNodesHarness.CHECKPOINT, ModelNodesHarness.CHECKPOINT, 0, "extracted/same", tiny.context());
        assertTrue(((String) r.outputs().get(1)).contains("text encoder left out"), (String) r.outputs().get(1));
        LoraValue lora = (LoraValue) r.outputs().get(0);
        assertTrue(lora.network().modules().keySet().stream().noneMatch(n -> n.startsWith("lora_te")));
    }

    @Test
    void mergeLora_keepsKeysAndDtypes_recordsSources_andCopiesTheSidecar() throws Exception {
        String name = (String) merge(Map.of("lora_1", fixtureLora, "ratio_1", 0.7), "merged/keys").outputs().get(0);
        assertEquals("merged/keys_00001_.safetensors", name);
        Path merged = tiny.dirs.resolveModel(DataDirs.CHECKPOINTS, name);
        Path base = tiny.dirs.resolveModel(DataDirs.CHECKPOINTS, ModelNodesHarness.CHECKPOINT);
        assertTrue(Files.isRegularFile(CheckpointFile.sidecarPath(merged)));
        try (SafetensorsFile in = SafetensorsFile.open(base); SafetensorsFile out = SafetensorsFile.open(merged)) {
            assertEquals(in.names(), out.names());
            for (String key : in.names()) {
                TensorInfo a = in.info(key);
                TensorInfo b = out.info(key);
                assertEquals(a.dtype(), b.dtype(), key);
                assertTrue(Arrays.equals(a.shape(), b.shape()), key);
            }
            JsonNode sources = new ObjectMapper().readTree(out.metadata().get(MergeProvenance.SOURCES_KEY));
            assertEquals(FileHashes.sha256(base), sources.get(0).get("sha256").asText());
            assertEquals(FileHashes.sha256(fixtureLora.file()), sources.get(1).get("sha256").asText());
            assertEquals(0.7, sources.get(1).get("ratio").asDouble(), 1e-6);
            assertEquals("tiny, lora", out.metadata().get("modelspec.merged_from"));
        }
    }

    @Test
    void mergeLora_baseOnlyBlockWeights_changesTextEncoderButNotUnet() throws Exception {
        String name = (String) merge(Map.of("lora_1", fixtureLora, "ratio_1", 1.0,
                "block_weights_1", "1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"), "merged/base-only").outputs().get(0);
        Path base = tiny.dirs.resolveModel(DataDirs.CHECKPOINTS, ModelNodesHarness.CHECKPOINT);
        int unetChanged = 0;
        int textChanged = 0;
        try (SafetensorsFile in = SafetensorsFile.open(base);
             SafetensorsFile out = SafetensorsFile.open(tiny.dirs.resolveModel(DataDirs.CHECKPOINTS, name))) {
            for (String key : in.names()) {
                if (!in.info(key).dtype().isFloatingPoint() || Arrays.equals(in.readFloats(key), out.readFloats(key))) {
                    continue;
                }
                if (key.startsWith("model.diffusion_model.")) {
                    unetChanged++;
                } else if (key.startsWith("cond_stage_model.")) {
                    textChanged++;
                }
            }
            JsonNode lbw = new ObjectMapper().readTree(out.metadata().get(MergeProvenance.SOURCES_KEY)).get(1).get("block_weights");
            assertEquals(26, lbw.size());
        }
        assertEquals(0, unetChanged);
        assertTrue(textChanged > 0);
    }

    @Test
    void mergeLora_badBlockWeights_namesTheInput_andWritesNothing() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> merge(Map.of("lora_1", fixtureLora, "ratio_1", 1.0, "block_weights_1", "1,0,0"), "merged/bad"));
        assertTrue(e.getMessage().contains("block_weights_1") && e.getMessage().contains("17 or 26"), e.getMessage());
        assertFalse(tiny.dirs.listModels(DataDirs.CHECKPOINTS).stream().anyMatch(n -> n.startsWith("merged/bad")));
    }

    private static NodeResult mergeLoras(String mode, long newRank) throws Exception {
        Map<String, Object> in = new HashMap<>();
        in.put("lora_1", fixtureLora);
        in.put("ratio_1", 0.25);
        in.put("block_weights_1", "");
        in.put("lora_2", fixtureLora);
        in.put("ratio_2", 0.75);
        in.put("block_weights_2", "");
        in.put("mode", mode);
        in.put("new_rank", newRank);
        in.put("new_conv_rank", 0L);
        in.put("save_precision", "float");
        in.put("filename_prefix", "merged/" + mode);
        return new MergeLoras(tiny.dirs).execute(new NodeInputs("MergeLoRAs #6", in), tiny.context());
    }

    @Test
    void mergeLoras_concat_isExactlyTheRatioWeightedSum() throws Exception {
        LoraValue merged = (LoraValue) mergeLoras("concat", 0).outputs().get(0);
        LoraNetwork saved = LoraReader.read(merged.file());
        double worst = 0;
        for (LoraModule expected : fixtureLora.network().modules().values()) {
            LoraModule m = saved.module(expected.name());
            assertEquals(8, m.rank(), expected.name());
            long[] shape = weightShape(expected);
            worst = Math.max(worst, relativeError(m.deltaWeight(shape), expected.deltaWeight(shape)));
        }
        assertTrue(worst < 1e-5, "0.25 + 0.75 of one LoRA must give that LoRA; worst relative error " + worst);
        assertEquals("lora, lora", saved.metadata().get("modelspec.merged_from"));
    }

    @Test
    void mergeLoras_svd_cutsToNewRank() throws Exception {
        NodeResult r = mergeLoras("svd", 2);
        LoraNetwork saved = LoraReader.read(((LoraValue) r.outputs().get(0)).file());
        assertEquals(290, saved.modules().size());
        assertTrue(saved.modules().values().stream().allMatch(m -> m.rank() == 2));
        assertTrue(((String) r.outputs().get(1)).contains("mean kept energy"), (String) r.outputs().get(1));
    }

    private static NodeResult resize(long newRank, String method, double param) throws Exception {
        Map<String, Object> in = new HashMap<>();
        in.put("lora", fixtureLora);
        in.put("new_rank", newRank);
        in.put("new_conv_rank", 0L);
        in.put("dynamic_method", method);
        in.put("dynamic_param", param);
        in.put("save_precision", "float");
        in.put("filename_prefix", "resized/lora");
        return new ResizeLora(tiny.dirs).execute(new NodeInputs("ResizeLoRA #7", in), tiny.context());
    }

    @Test
    void resizeLora_toRank2_keepsTheScale_andReportsFrobeniusRetention() throws Exception {
        NodeResult r = resize(2, "none", 0);
        LoraNetwork saved = LoraReader.read(((LoraValue) r.outputs().get(0)).file());
        for (LoraModule m : saved.modules().values()) {
            assertEquals(2, m.rank(), m.name());
            assertEquals(fixtureLora.network().module(m.name()).scale(), m.scale(), 1e-6, m.name());
        }
        assertEquals("2", saved.metadata().get("ss_network_dim"));
        assertTrue(((String) r.outputs().get(1)).contains("Average Frobenius norm retention"), (String) r.outputs().get(1));
    }

    @Test
    void resizeLora_svFroOfOne_keepsEveryComponent_soDeltaWIsUnchanged() throws Exception {
        LoraNetwork saved = LoraReader.read(((LoraValue) resize(8, "sv_fro", 1.0).outputs().get(0)).file());
        double worst = 0;
        for (LoraModule expected : fixtureLora.network().modules().values()) {
            long[] shape = weightShape(expected);
            LoraTensor up = saved.module(expected.name()).tensor("lora_up.weight").orElseThrow();
            assertTrue(up.cols() <= 4, expected.name());
            worst = Math.max(worst, relativeError(saved.module(expected.name()).deltaWeight(shape), expected.deltaWeight(shape)));
        }
        assertTrue(worst < 1e-4, "worst relative ΔW error " + worst);
        assertEquals("Dynamic", saved.metadata().get("ss_network_dim"));
    }
}
