package dev.bakehouse.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.testing.SharedResources;
import dev.bakehouse.train.data.BadInputPolicy;
import dev.bakehouse.train.data.EpochIterator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caption options that reach the text encoder through the trainer's batch inputs, set from a
 * kohya command line: epoch-wise caption dropout, wildcards and multi-line captions, the secondary
 * separator, and the token warm-up.
 */
class CaptionOptionFamiliesTest {
    @TempDir
    static Path shared;
    private static TinyTrainingRun tiny;

    @BeforeAll
    static void open() throws Exception {
        tiny = new TinyTrainingRun();
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    /** A 4-image dataset whose caption files all hold {@code caption}. */
    private static Path dataset(String name, String caption) throws Exception {
        Path dir = shared.resolve(name);
        TinyTrainingRun.dataset(dir, "2_kiki", 4);
        try (var files = Files.list(dir.resolve("2_kiki"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
                Files.writeString(file, caption);
            }
        }
        return dir;
    }

    /** The trainer's captions of every batch of {@code epochs} epochs, per 0-based epoch, with the step counter. */
    private static List<List<String>> captions(Path data, int epochs, String... options) {
        TrainingSetup setup = TrainingSetup.resolve(TinyTrainingRun.args(data, shared.resolve("out"), options),
                BadInputPolicy.STOP, 7);
        BatchInputs inputs = new BatchInputs(tiny.model, tiny.tokenizer, setup.dataset(), setup.text(), false, null, "vae",
                new StepSeeds(setup.seed()));
        EpochIterator iterator = new EpochIterator(setup.dataset(), setup.trainBatchSize(), setup.seed(), 1f);
        List<List<String>> out = new ArrayList<>();
        long step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            List<String> seen = new ArrayList<>();
            for (EpochIterator.Batch batch : iterator.epoch(epoch + 1)) {
                seen.addAll(inputs.captions(batch, epoch, step, setup.plan().maxTrainSteps(), step));
                step++;
            }
            out.add(seen);
        }
        return out;
    }

    @Test
    void captionDropoutEveryNEpochs_emptiesEveryCaptionOfEachNthEpoch() throws Exception {
        Path data = dataset("dropout", "kiki, ring");
        List<List<String>> byEpoch = captions(data, 4, "--caption_dropout_every_n_epochs=2");
        for (int epoch = 0; epoch < 4; epoch++) {
            boolean dropped = (epoch + 1) % 2 == 0; // kohya's current_epoch is 1-based
            for (String caption : byEpoch.get(epoch)) {
                assertEquals(dropped ? "" : "kiki, ring", caption, "epoch " + (epoch + 1));
            }
        }
    }

    @Test
    void enableWildcard_drawsOneLineAndOneChoicePerSample_withoutItTheFirstLineIsUsedVerbatim() throws Exception {
        Path data = dataset("wildcard", "kiki, {red|blue} ring\n\nkiki, square\n");
        Set<String> seen = new HashSet<>();
        captions(data, 6, "--enable_wildcard").forEach(seen::addAll);
        assertEquals(Set.of("kiki, red ring", "kiki, blue ring", "kiki, square"), seen);
        Set<String> plain = new HashSet<>();
        captions(data, 2).forEach(plain::addAll);
        assertEquals(Set.of("kiki, {red|blue} ring"), plain);
    }

    @Test
    void secondarySeparator_keepsItsTagsTogetherWhileShuffling_andBecomesTheCaptionSeparator() throws Exception {
        Path data = dataset("secondary", "kiki, grey;;;background, ring, round");
        Set<String> orders = new HashSet<>();
        for (List<String> epoch : captions(data, 3, "--shuffle_caption", "--secondary_separator=;;;")) {
            for (String caption : epoch) {
                assertEquals(Set.of("kiki", "grey,background", "ring", "round"), Set.of(caption.split(", ")), caption);
                orders.add(caption);
            }
        }
        assertTrue(orders.size() > 2, "the tags are shuffled: " + orders);
    }

    @Test
    void tokenWarmup_growsTheTagsFromTokenWarmupMinToAllByTokenWarmupStep() throws Exception {
        Path data = dataset("warmup", "kiki, ring, grey background, red, round");
        // keep_tokens 1 keeps "kiki"; 4 flex tags grow as floor(step * (4 - 1) / 6) + 1 over the first 6 steps
        List<List<String>> byEpoch = captions(data, 3, "--keep_tokens=1", "--token_warmup_min=1",
                "--token_warmup_step=6");
        List<String> all = new ArrayList<>();
        byEpoch.forEach(all::addAll);
        // batch 2: each step sees two samples with the same step counter
        for (int step = 0; step < all.size() / 2; step++) {
            int flex = step < 6 ? (int) Math.floor(step * (4 - 1) / 6.0) + 1 : 4;
            for (String caption : all.subList(2 * step, 2 * step + 2)) {
                assertEquals(1 + flex, caption.split(", ").length, "step " + step + ": " + caption);
                assertTrue(caption.startsWith("kiki, ring"), caption);
            }
        }
    }

    @Test
    void aRunWithEveryCaptionOption_trains() throws Exception {
        Path data = dataset("all", "kiki, {red|blue};;;ring\nkiki, square, grey");
        LoraTrainer.Result r = tiny.train(TinyTrainingRun.args(data, shared.resolve("all-out"), "--max_train_epochs=2",
                "--train_batch_size=4", "--enable_wildcard", "--secondary_separator=;;;", "--shuffle_caption", "--keep_tokens=1",
                "--token_warmup_min=1", "--token_warmup_step=0.5", "--caption_dropout_every_n_epochs=2"),
                new RecordingListener(), () -> false);
        assertEquals(4, r.steps());
        assertTrue(Files.exists(r.last()));
    }
}
