package dev.bakehouse.train.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.testing.SharedResources;
import dev.bakehouse.train.run.TrainingControl.Request;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraTrainerTest {
    @TempDir
    static Path shared;
    @TempDir
    Path out;

    private static TinyTrainingRun tiny;
    private static Path data;

    @BeforeAll
    static void open() throws Exception {
        tiny = new TinyTrainingRun();
        data = TinyTrainingRun.dataset(shared.resolve("train"), "5_kiki", 4);
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    /** Every lora_down/lora_up of a LoRA file by module name (+ .down/.up). */
    static Map<String, float[]> weights(Path file) throws Exception {
        LoraNetwork n = LoraReader.read(file);
        Map<String, float[]> out = new java.util.TreeMap<>();
        for (LoraModule m : n.modules().values()) {
            out.put(m.name() + ".down", m.tensor("lora_down.weight").orElseThrow().values());
            out.put(m.name() + ".up", m.tensor("lora_up.weight").orElseThrow().values());
        }
        return out;
    }

    @Test
    void run_writesKohyaNamedFiles_metadata_logAndChart() throws Exception {
        RecordingListener rec = new RecordingListener();
        LoraTrainer.Result r = tiny.train(TinyTrainingRun.args(data, out, "--max_train_epochs=2",
                "--save_every_n_epochs=1", "--network_train_unet_only"), rec, null);

        // 4 images x 5 repeats / batch 2 = 10 steps per epoch, 2 epochs
        assertEquals(20, r.steps());
        assertTrue(rec.lines.stream().anyMatch(l -> l.contains("20")), rec.lines.toString());
        assertEquals(List.of(out.resolve("kiki-000001.safetensors"), out.resolve("kiki.safetensors")), r.saved());
        LoraNetwork last = LoraReader.read(r.last());
        assertTrue(last.modules().keySet().stream().allMatch(k -> k.startsWith("lora_unet_")));
        assertEquals("20", last.metadata().get("ss_steps"));
        assertEquals("2", last.metadata().get("ss_epoch"));
        assertEquals("4", last.metadata().get("ss_network_dim"));
        assertEquals("2.0", last.metadata().get("ss_network_alpha"));
        assertEquals("torch.optim.adamw.AdamW", last.metadata().get("ss_optimizer"));
        assertEquals("{\"5_kiki\": {\"n_repeats\": 5, \"img_count\": 4}}", last.metadata().get("ss_dataset_dirs"));
        assertTrue(last.metadata().containsKey("sshs_model_hash"));
        assertEquals(21, Files.readAllLines(r.log()).size());
        assertTrue(Files.size(r.chart()) > 1000);
    }

    /**
     * The text encoder trains and network_dropout draws masks that recomputed segments must replay.
     * SGD keeps a noise-level gradient difference noise-level in the weights (Adam would scale every
     * gradient element, rounding noise included, to a full-size step).
     */
    @Test
    void gradientCheckpointing_trainsTheSameLossesAndWeightsAsAPlainRun() throws Exception {
        String[] options = {"--max_train_steps=3", "--optimizer_type=SGDNesterov", "--learning_rate=1e-2",
            "--network_dropout=0.1", "--text_encoder_lr=1e-2"};
        RecordingListener plainLog = new RecordingListener();
        LoraTrainer.Result plain = tiny.train(TinyTrainingRun.args(data, out.resolve("plain"), options), plainLog, null);
        RecordingListener checkpointedLog = new RecordingListener();
        String[] withCheckpointing = java.util.Arrays.copyOf(options, options.length + 1);
        withCheckpointing[options.length] = "--gradient_checkpointing";
        LoraTrainer.Result checkpointed = tiny.train(TinyTrainingRun.args(data, out.resolve("checkpointed"),
                withCheckpointing), checkpointedLog, null);

        assertEquals(3, plainLog.losses.size());
        assertEquals(3, checkpointedLog.losses.size());
        for (int i = 0; i < 3; i++) {
            double expected = plainLog.losses.get(i);
            assertEquals(expected, checkpointedLog.losses.get(i), 1e-6 * expected, "loss of step " + (i + 1));
        }
        Map<String, float[]> a = weights(plain.last());
        Map<String, float[]> b = weights(checkpointed.last());
        assertEquals(a.keySet(), b.keySet());
        assertTrue(a.keySet().stream().anyMatch(k -> k.startsWith("lora_te_")), "the text encoder trained");
        double moved = 0;
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), 1e-7f, k);
            if (k.endsWith(".up")) {
                for (float v : a.get(k)) {
                    moved = Math.max(moved, Math.abs(v)); // lora_up starts at zero
                }
            }
        }
        assertTrue(moved > 1e-5, "the runs trained: largest lora_up value " + moved);
    }

    @Test
    void runResumedTwice_endsBitIdenticalToAnUninterruptedOne() throws Exception {
        Path straight = out.resolve("straight");
        LoraTrainer.Result full = tiny.train(TinyTrainingRun.args(data, straight, "--max_train_steps=6",
                "--gradient_accumulation_steps=2", "--lr_scheduler=cosine", "--lr_warmup_steps=2"),
                TrainingListener.SILENT, null);

        Path split = out.resolve("split");
        int[] polls = {0};
        LoraTrainer.Result first = tiny.train(TinyTrainingRun.args(data, split, "--max_train_steps=6",
                "--gradient_accumulation_steps=2", "--lr_scheduler=cosine", "--lr_warmup_steps=2"),
                TrainingListener.SILENT, () -> ++polls[0] == 2);
        assertTrue(first.stopped());
        assertEquals(2, first.steps());
        int[] againPolls = {0};
        LoraTrainer.Result second = tiny.train(TinyTrainingRun.args(data, split, "--max_train_steps=6",
                "--gradient_accumulation_steps=2", "--lr_scheduler=cosine", "--lr_warmup_steps=2", "--resume=auto"),
                TrainingListener.SILENT, () -> ++againPolls[0] == 2);
        assertTrue(second.stopped());
        assertEquals(4, second.steps());
        LoraTrainer.Result third = tiny.train(TinyTrainingRun.args(data, split, "--max_train_steps=6",
                "--gradient_accumulation_steps=2", "--lr_scheduler=cosine", "--lr_warmup_steps=2",
                "--resume=" + second.resumeFrom()), TrainingListener.SILENT, () -> false);
        assertFalse(third.stopped());
        assertEquals(6, third.steps());
        assertTrue(Files.isRegularFile(split.resolve("kiki-step00000002.safetensors")), "the first stop's LoRA");

        Map<String, float[]> a = weights(full.last());
        Map<String, float[]> b = weights(third.last());
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), 0f, k);
        }
    }

    @Test
    void cacheTextEncoderOutputs_trainsAsTheUncachedRun() throws Exception {
        LoraTrainer.Result plain = tiny.train(TinyTrainingRun.args(data, out.resolve("plain"), "--max_train_steps=3",
                "--network_train_unet_only"), TrainingListener.SILENT, null);
        LoraTrainer.Result cached = tiny.train(TinyTrainingRun.args(data, out.resolve("cached"), "--max_train_steps=3",
                "--network_train_unet_only", "--cache_text_encoder_outputs"), TrainingListener.SILENT, null);
        Map<String, float[]> a = weights(plain.last());
        Map<String, float[]> b = weights(cached.last());
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) { // one caption at a time vs a batch of two: equal up to float rounding
            assertArrayEquals(a.get(k), b.get(k), 1e-6f, k);
        }
    }

    @Test
    void cacheLatentsToDisk_writesOneLatentPerImage() throws Exception {
        tiny.train(TinyTrainingRun.args(data, out, "--max_train_steps=2", "--network_train_unet_only",
                "--cache_latents_to_disk"), TrainingListener.SILENT, null);
        try (var files = Files.list(out.resolve("cache"))) {
            assertEquals(4, files.filter(f -> f.toString().endsWith(".latent")).count());
        }
    }

    @Test
    void samplePrompts_areDrawnOnSchedule_withKohyasFileNames() throws Exception {
        Path prompts = out.resolve("prompts.txt");
        Files.writeString(prompts, "kiki, ring --n blurry --w 64 --h 64 --d 42 --s 2\n# a comment\nring --w 64 --h 64 --s 2\n");
        List<String> drawn = new ArrayList<>();
        SampleRenderer renderer = (prompt, sampler, seed, lora) -> {
            assertTrue(!lora.modules().isEmpty() && lora.modules().keySet().stream().allMatch(k -> k.startsWith("lora_unet_")),
                    "the network as saved");
            drawn.add(prompt.prompt() + "|" + sampler + "|" + seed);
            return new java.awt.image.BufferedImage(prompt.width(), prompt.height(), java.awt.image.BufferedImage.TYPE_INT_RGB);
        };
        tiny.train(TinyTrainingRun.args(data, out, "--max_train_steps=4", "--network_train_unet_only",
                "--sample_prompts=" + prompts, "--sample_every_n_steps=2", "--sample_sampler=euler_a"),
                TrainingListener.SILENT, null, renderer);

        assertEquals(4, drawn.size(), drawn.toString()); // steps 2 and 4, two prompts each
        assertTrue(drawn.get(0).equals("kiki, ring|euler_a|42"), drawn.get(0));
        try (var files = Files.list(out.resolve("sample"))) {
            List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
            assertEquals(4, names.size(), names.toString());
            assertTrue(names.get(0).matches("kiki_000002_00_\\d{14}_42\\.png"), names.get(0));
            assertTrue(names.get(1).matches("kiki_000002_01_\\d{14}\\.png"), names.get(1));
            assertTrue(names.get(3).startsWith("kiki_000004_01_"), names.get(3));
        }
    }

    /** Hands out the requests scripted for each poll (poll n follows update n). */
    private static TrainingControl scripted(Map<Integer, Set<Request>> byPoll) {
        int[] polls = {0};
        return () -> EnumSet.copyOf(byPoll.getOrDefault(++polls[0], EnumSet.noneOf(Request.class)));
    }

    @Test
    void liveRequests_sampleAndSaveAfterStepOne_stopAfterStepTwo_writeStepNamedFilesAndAResumableState() throws Exception {
        Path prompts = Files.writeString(out.resolve("prompts.txt"), "kiki, ring --w 64 --h 64 --d 3 --s 2\n");
        List<String> acks = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void message(String line) {}

            @Override
            public void step(long step, long maxSteps, StepReport report) {}

            @Override
            public void controlled(Request request, long step, List<Path> files) {
                acks.add(request + "@" + step + " " + files.stream().map(f -> f.getFileName().toString()).toList());
            }
        };
        SampleRenderer renderer = (prompt, sampler, seed, lora) -> new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);

        LoraTrainer.Result result = tiny.train(TinyTrainingRun.args(data, out, "--max_train_steps=6",
                "--sample_prompts=" + prompts), listener, () -> false, renderer,
                scripted(Map.of(1, EnumSet.of(Request.SAMPLE, Request.SAVE), 2, EnumSet.of(Request.STOP))));

        assertTrue(result.stopped());
        assertEquals(2, result.steps());
        assertEquals(3, acks.size(), acks.toString());
        assertTrue(acks.get(0).matches("SAMPLE@1 \\[kiki_000001_00_\\d{14}_3\\.png]"), acks.get(0));
        assertEquals("SAVE@1 [kiki-step00000001.safetensors]", acks.get(1));
        assertEquals("STOP@2 [kiki-step00000002.safetensors, kiki-step00000002-state]", acks.get(2));
        assertTrue(Files.isRegularFile(out.resolve("kiki-step00000001.safetensors")));
        assertEquals(List.of(out.resolve("kiki-step00000001.safetensors"), out.resolve("kiki-step00000002.safetensors")),
                result.saved());
        assertEquals(out.resolve("kiki-step00000002-state"), result.resumeFrom());
        assertTrue(Files.isRegularFile(result.resumeFrom().resolve("train_state.json")));

        LoraTrainer.Result resumed = tiny.train(TinyTrainingRun.args(data, out, "--max_train_steps=6",
                "--resume=" + result.resumeFrom()), TrainingListener.SILENT, () -> false);
        assertEquals(6, resumed.steps());
        assertTrue(!resumed.stopped() && Files.isRegularFile(out.resolve("kiki.safetensors")));
    }
}
