package dev.bakehouse.node.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.sd.DiffusersFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadCheckpointTest {
    @TempDir
    Path root;

    @Test
    void spec_comfyNameHasTheSameInputsAndOutputs() {
        try (ModelNodesHarness tiny = new ModelNodesHarness(root)) {
            LoadCheckpoint ours = new LoadCheckpoint(LoadCheckpoint.NAME, tiny.dirs, tiny.cache, tiny.tokenizers, tiny.embeddings);
            LoadCheckpoint comfy = new LoadCheckpoint(LoadCheckpoint.COMFY_NAME, tiny.dirs, tiny.cache, tiny.tokenizers, tiny.embeddings);
            assertEquals("CheckpointLoaderSimple", comfy.spec().name());
            assertEquals(List.of("ckpt_name"), comfy.spec().inputs().stream().map(i -> i.name()).toList());
            assertEquals(List.of(DataType.MODEL, DataType.CLIP, DataType.VAE),
                    comfy.spec().outputs().stream().map(OutputSpec::type).toList());
            assertEquals(ours.spec().inputs().get(0).name(), comfy.spec().inputs().get(0).name());
            assertEquals(ours.spec().outputs(), comfy.spec().outputs());
        }
    }

    @Test
    void execute_unknownCheckpoint_errorNamesTheFile() {
        try (ModelNodesHarness tiny = new ModelNodesHarness(root)) {
            LoadCheckpoint node = new LoadCheckpoint(LoadCheckpoint.NAME, tiny.dirs, tiny.cache, tiny.tokenizers, tiny.embeddings);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> node.execute(
                    ModelNodesHarness.inputs("LoadCheckpoint #4", Map.of("ckpt_name", "missing.safetensors")), tiny.context()));
            assertTrue(e.getMessage().contains("missing.safetensors"), e.getMessage());
            assertTrue(e.getMessage().contains("checkpoints"), e.getMessage());
        }
    }

    @Test
    void execute_notACheckpoint_errorNamesTheFile() throws Exception {
        try (ModelNodesHarness tiny = new ModelNodesHarness(root)) {
            Files.writeString(tiny.dirs.models(DataDirs.CHECKPOINTS).resolve("broken.safetensors"), "not a tensor file");
            LoadCheckpoint node = new LoadCheckpoint(LoadCheckpoint.NAME, tiny.dirs, tiny.cache, tiny.tokenizers, tiny.embeddings);
            RuntimeException e = assertThrows(RuntimeException.class, () -> node.execute(
                    ModelNodesHarness.inputs("LoadCheckpoint #4", Map.of("ckpt_name", "broken.safetensors")), tiny.context()));
            assertTrue(e.getMessage().contains("broken.safetensors"), e.getMessage());
        }
    }

    @Test
    void execute_withoutSidecarConfig_errorSaysWhereTheConfigGoes() throws Exception {
        try (ModelNodesHarness tiny = new ModelNodesHarness(root)) {
            Path checkpoints = tiny.dirs.models(DataDirs.CHECKPOINTS);
            Files.copy(checkpoints.resolve(ModelNodesHarness.CHECKPOINT), checkpoints.resolve("bare.safetensors"));
            LoadCheckpoint node = new LoadCheckpoint(LoadCheckpoint.NAME, tiny.dirs, tiny.cache, tiny.tokenizers, tiny.embeddings);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> node.execute(
                    ModelNodesHarness.inputs("LoadCheckpoint #4", Map.of("ckpt_name", "bare.safetensors")), tiny.context()));
            assertTrue(e.getMessage().contains("bare.config.json"), e.getMessage());
        }
    }

    @Test
    void execute_twice_loadsOnce_replacedFileLoadsAgainAndChangesTheFingerprint() throws Exception {
        try (ModelNodesHarness tiny = new ModelNodesHarness(root)) {
            LoadCheckpoint node = new LoadCheckpoint(LoadCheckpoint.NAME, tiny.dirs, tiny.cache, tiny.tokenizers, tiny.embeddings);
            Map<String, String> inputs = Map.of("ckpt_name", ModelNodesHarness.CHECKPOINT);
            Object fingerprint = node.fingerprint(ModelNodesHarness.inputs("LoadCheckpoint", inputs));

            NodeResult first = node.execute(ModelNodesHarness.inputs("LoadCheckpoint", inputs), tiny.context());
            node.execute(ModelNodesHarness.inputs("LoadCheckpoint", inputs), tiny.context());
            assertEquals(1, tiny.cache.checkpointLoads());
            assertInstanceOf(ModelValue.class, first.outputs().get(0));
            assertInstanceOf(ClipValue.class, first.outputs().get(1));
            assertInstanceOf(VaeValue.class, first.outputs().get(2));
            assertEquals(fingerprint, node.fingerprint(ModelNodesHarness.inputs("LoadCheckpoint", inputs)));

            Path file = tiny.dirs.resolveModel(DataDirs.CHECKPOINTS, ModelNodesHarness.CHECKPOINT);
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
            assertNotEquals(fingerprint, node.fingerprint(ModelNodesHarness.inputs("LoadCheckpoint", inputs)));
            node.execute(ModelNodesHarness.inputs("LoadCheckpoint", inputs), tiny.context());
            assertEquals(2, tiny.cache.checkpointLoads());
        }
    }

    @Test
    void diffusersFolder_isListedByItsName_andLoadsTheSameWeightsAsTheFile() throws Exception {
        try (ModelNodesHarness tiny = new ModelNodesHarness(root)) {
            Path checkpoints = tiny.dirs.models(DataDirs.CHECKPOINTS);
            Path template = Files.createDirectories(root.resolve("template"));
            Files.writeString(template.resolve("model_index.json"), "{\"_class_name\": \"StableDiffusionPipeline\"}");
            try (SafetensorsFile single = SafetensorsFile.open(checkpoints.resolve(ModelNodesHarness.CHECKPOINT))) {
                DiffusersFolder.write(single, template, checkpoints.resolve("tiny.v1"));
            }
            // A folder's name has no extension: its sidecar config is <folder name>.config.json.
            Files.copy(checkpoints.resolve("tiny.config.json"), checkpoints.resolve("tiny.v1.config.json"));
            LoadCheckpoint node = new LoadCheckpoint(LoadCheckpoint.NAME, tiny.dirs, tiny.cache, tiny.tokenizers, tiny.embeddings);
            assertEquals(List.of("tiny.safetensors", "tiny.v1"), tiny.dirs.listModels(DataDirs.CHECKPOINTS));

            ModelValue folder = (ModelValue) node.execute(ModelNodesHarness.inputs("LoadCheckpoint",
                    Map.of("ckpt_name", "tiny.v1")), tiny.context()).outputs().get(0);
            Map<String, float[]> fromFolder = folder.checkpoint().use(LoadCheckpointTest::weights);
            Map<String, float[]> fromFile = tiny.model().checkpoint().use(LoadCheckpointTest::weights);
            assertEquals(2, tiny.cache.checkpointLoads());
            assertEquals(fromFile.keySet(), fromFolder.keySet());
            fromFile.forEach((key, values) -> assertArrayEquals(values, fromFolder.get(key), key));
        }
    }

    private static Map<String, float[]> weights(StableDiffusion model) {
        Map<String, float[]> values = new TreeMap<>();
        model.params().params().forEach((key, param) -> values.put(key, param.value().toFloatArray()));
        return values;
    }

    @Test
    void viewOfAnEvictedCheckpoint_loadsItAgainWhenItRuns() throws Exception {
        try (ModelNodesHarness tiny = new ModelNodesHarness(root); ModelCache oneModel = new ModelCache(tiny.cache.device(), 1)) {
            Path checkpoints = tiny.dirs.models(DataDirs.CHECKPOINTS);
            Files.copy(checkpoints.resolve(ModelNodesHarness.CHECKPOINT), checkpoints.resolve("second.safetensors"));
            Files.copy(checkpoints.resolve("tiny.config.json"), checkpoints.resolve("second.config.json"));
            LoadCheckpoint node = new LoadCheckpoint(LoadCheckpoint.NAME, tiny.dirs, oneModel, tiny.tokenizers,
                    new Embeddings(tiny.dirs, oneModel));
            ModelValue first = (ModelValue) node.execute(ModelNodesHarness.inputs("LoadCheckpoint",
                    Map.of("ckpt_name", ModelNodesHarness.CHECKPOINT)), tiny.context()).outputs().get(0);
            var firstModel = oneModel.checkpoint(first.checkpoint().file());

            node.execute(ModelNodesHarness.inputs("LoadCheckpoint", Map.of("ckpt_name", "second.safetensors")), tiny.context());

            assertEquals(false, firstModel.manager().isOpen(), "the evicted model should be closed");
            assertEquals(true, first.checkpoint().use(sd -> sd.manager().isOpen()));
            assertEquals(3, oneModel.checkpointLoads());
        }
    }
}
