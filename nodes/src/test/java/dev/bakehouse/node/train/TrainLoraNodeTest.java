package dev.bakehouse.node.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.ExecutionInterruptedException;
import dev.bakehouse.node.FakeContext;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.lora.LoraValue;
import dev.bakehouse.node.sd.ClipValue;
import dev.bakehouse.node.sd.ModelNodesHarness;
import dev.bakehouse.node.sd.ModelValue;
import dev.bakehouse.train.run.TrainingControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TrainLoRA and LoadDataset called directly on the tiny fixture model with a generated dataset of
 * four 64x64 images (batch 2: two steps per epoch).
 */
class TrainLoraNodeTest {
    @TempDir
    Path root;

    private ModelNodesHarness harness;
    private DatasetValue dataset;

    @BeforeEach
    void setUp() throws Exception {
        harness = new ModelNodesHarness(root);
        dataset = TinyTrainLora.dataset(harness);
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    @Test
    void trainLora_twoEpochs_returnsEachSavedEpochAsLoraAndLeavesTheModelAsItWas() throws Exception {
        ClipValue clip = harness.clip();
        float[] before = harness.encode(clip, "kiki, ring").context().toFloatArray();
        FakeContext ctx = harness.context();

        NodeResult result = train(inputs(Map.of()), ctx);

        List<?> loras = assertInstanceOf(List.class, result.outputs().get(0));
        assertEquals(List.of("kiki/kiki-000001.safetensors", "kiki/kiki.safetensors"),
                loras.stream().map(l -> ((LoraValue) l).name()).toList());
        LoraValue last = (LoraValue) loras.get(1);
        assertEquals(harness.dirs.models(DataDirs.LORAS).resolve("kiki/kiki.safetensors"), last.file());
        assertEquals("kiki", last.network().metadata().get("ss_output_name"));
        assertEquals("4", last.network().metadata().get("ss_network_dim"));
        assertTrue(last.network().modules().keySet().stream().anyMatch(k -> k.startsWith("lora_te_")));
        assertTrue(last.network().modules().keySet().stream().anyMatch(k -> k.startsWith("lora_unet_")));
        ImageBatch chart = assertInstanceOf(ImageBatch.class, result.outputs().get(1));
        assertTrue(chart.width() > 100 && chart.height() > 100, "the loss chart image");

        assertEquals(List.of(1L, 2L, 3L, 4L), ctx.progress.stream().map(p -> p[0]).toList());
        assertTrue(ctx.progress.stream().allMatch(p -> p[1] == 4));
        List<ObjectNode> steps = events(ctx, "training");
        assertEquals(4, steps.size());
        ObjectNode third = steps.get(2);
        assertEquals(3, third.get("step").asInt());
        assertEquals(4, third.get("max_steps").asInt());
        assertEquals(2, third.get("epoch").asInt());
        assertTrue(Double.isFinite(third.get("loss").asDouble()) && Double.isFinite(third.get("avr_loss").asDouble()));
        assertTrue(third.get("lr").size() >= 1 && third.get("lr").elements().next().asDouble() == 1e-3, third.toString());
        assertEquals(1, events(ctx, "finished").size());

        List<String> listed = harness.dirs.listModels(DataDirs.LORAS);
        assertTrue(listed.containsAll(List.of("kiki/kiki-000001.safetensors", "kiki/kiki.safetensors")), listed.toString());
        assertTrue(Files.isRegularFile(harness.dirs.models(DataDirs.LORAS).resolve("kiki/kiki.csv")));
        // the network was unhooked: the shared model encodes as before training
        assertArrayEquals(before, harness.encode(clip, "kiki, ring").context().toFloatArray());
    }

    @Test
    void trainLora_requeuedWithSameInputs_returnsTheFinishedFilesWithoutTraining() throws Exception {
        NodeResult first = train(inputs(Map.of("max_train_epochs", 1)), harness.context());
        Path file = ((LoraValue) ((List<?>) first.outputs().get(0)).get(0)).file();
        long written = Files.getLastModifiedTime(file).toMillis();

        FakeContext again = harness.context();
        NodeResult second = train(inputs(Map.of("max_train_epochs", 1)), again);

        assertTrue(again.progress.isEmpty(), "no step ran");
        assertEquals(1, events(again, "reused").size());
        assertEquals(names(first), names(second));
        assertEquals(written, Files.getLastModifiedTime(file).toMillis());

        FakeContext changed = harness.context();
        train(inputs(Map.of("max_train_epochs", 1, "learning_rate", 5e-4)), changed);
        assertEquals(2, changed.progress.size(), "a changed option trains again");
    }

    @Test
    void trainLora_interrupted_savesStateAndLoraThenContinuesWhenQueuedAgain() throws Exception {
        FakeContext ctx = harness.context().interruptAt(2);

        assertThrows(ExecutionInterruptedException.class, () -> train(inputs(Map.of()), ctx));

        Path out = harness.dirs.models(DataDirs.LORAS).resolve("kiki");
        assertTrue(Files.isRegularFile(out.resolve("kiki-step00000002-state/train_state.json")));
        assertTrue(Files.isRegularFile(out.resolve("kiki-step00000002.safetensors")));
        String message = events(ctx, "stopped").get(0).get("message").asText();
        assertTrue(message.contains("Queue the same prompt again") && message.contains("--resume"), message);
        assertFalse(harness.dirs.listModels(DataDirs.LORAS).stream().anyMatch(n -> n.contains("-state/")),
                "state folders are not listed as LoRAs");

        FakeContext resumed = harness.context();
        NodeResult result = train(inputs(Map.of()), resumed);
        assertEquals(List.of(3L, 4L), resumed.progress.stream().map(p -> p[0]).toList());
        assertTrue(names(result).contains("kiki/kiki.safetensors"), names(result).toString());
    }

    @Test
    void trainLora_liveStop_endsSuccessfullyWithTheLoraSoFar_andContinuesWhenQueuedAgain() throws Exception {
        LiveTrainings live = new LiveTrainings();
        live.request("test-prompt", TrainingControl.Request.SAVE);
        live.request("test-prompt", TrainingControl.Request.STOP); // queued before the run: taken after step 1
        FakeContext ctx = harness.context();

        NodeResult kept = new TrainLora(harness.dirs, harness.cache, live).execute(new NodeInputs(TrainLora.NAME,
                inputs(Map.of())), ctx);

        assertEquals(List.of("kiki/kiki-step00000001.safetensors"), names(kept));
        assertInstanceOf(ImageBatch.class, kept.outputs().get(1));
        List<String> acks = ctx.sent.stream().map(Map.Entry::getValue).filter(d -> d.has("event"))
                .map(d -> d.get("event").asText() + "@" + d.get("step").asInt() + " " + d.get("files")).toList();
        assertEquals(List.of("save@1 [\"kiki/kiki-step00000001.safetensors\"]",
                "stop@1 [\"kiki/kiki-step00000001.safetensors\",\"kiki/kiki-step00000001-state\"]"), acks);
        String message = events(ctx, "kept").get(0).get("message").asText();
        assertTrue(message.contains("stopped on request at step 1") && message.contains("--resume"), message);

        FakeContext resumed = harness.context();
        NodeResult result = new TrainLora(harness.dirs, harness.cache, live).execute(new NodeInputs(TrainLora.NAME,
                inputs(Map.of())), resumed);
        assertEquals(List.of(2L, 3L, 4L), resumed.progress.stream().map(p -> p[0]).toList());
        assertTrue(names(result).contains("kiki/kiki.safetensors"), names(result).toString());
    }

    @Test
    void trainLora_modelWithLoraApplied_isRefused() throws Exception {
        Map<String, Object> in = inputs(Map.of());
        ModelValue model = (ModelValue) in.get("model");
        in.put("model", model.withLora("lora.safetensors", harness.cache.lora(dev.bakehouse.node.sd.FileVersion.of(
                harness.dirs.resolveModel(DataDirs.LORAS, ModelNodesHarness.LORA))), 1f));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> train(in, harness.context()));
        assertTrue(e.getMessage().contains("model input has LoRAs applied"), e.getMessage());
    }

    @Test
    void trainLora_clipSetLastLayerDisagreeingWithClipSkip_isRefused() throws Exception {
        Map<String, Object> in = inputs(Map.of());
        in.put("clip", ((ClipValue) in.get("clip")).withStopAtLayer(-2));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> train(in, harness.context()));
        assertTrue(e.getMessage().contains("stops at layer -2") && e.getMessage().contains("set clip_skip to 2"),
                e.getMessage());
    }

    @Test
    void trainLora_badKohyaArgs_failsNamingTheOption() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> train(inputs(Map.of("kohya_args", "accelerate launch train_network.py --learning_rate=oops")),
                        harness.context()));
        assertTrue(e.getMessage().startsWith("kohya_args: ") && e.getMessage().contains("--learning_rate"), e.getMessage());

        IllegalArgumentException conflict = assertThrows(IllegalArgumentException.class,
                () -> train(inputs(Map.of("network_train_unet_only", true, "kohya_args",
                        "[training]\nnetwork_train_text_encoder_only = true")), harness.context()));
        assertTrue(conflict.getMessage().startsWith("TrainLoRA options (widgets + kohya_args): ")
                && conflict.getMessage().contains("network_train_text_encoder_only"), conflict.getMessage());
    }

    private NodeResult train(Map<String, Object> in, FakeContext ctx) throws Exception {
        return new TrainLora(harness.dirs, harness.cache).execute(new NodeInputs(TrainLora.NAME, in), ctx);
    }

    private Map<String, Object> inputs(Map<String, Object> changes) throws Exception {
        return TinyTrainLora.inputs(harness, dataset, changes);
    }

    private static List<ObjectNode> events(FakeContext ctx, String status) {
        return ctx.sent.stream().filter(e -> e.getKey().equals(NodeTrainingListener.EVENT)).map(Map.Entry::getValue)
                .filter(d -> d.path("status").asText().equals(status)).toList();
    }

    private static List<String> names(NodeResult result) {
        return ((List<?>) result.outputs().get(0)).stream().map(l -> ((LoraValue) l).name()).toList();
    }
}
