package dev.bakehouse.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.format.KohyaModuleNames;
import dev.bakehouse.lora.format.LbwBlock;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.format.LoraTensor;
import dev.bakehouse.testing.SharedResources;
import dev.bakehouse.train.data.BadInputPolicy;
import dev.bakehouse.train.data.EpochIterator;
import dev.bakehouse.train.data.Size;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per kohya option family on the tiny model with a generated dataset: each shows the
 * option does what it says, through the trainer's own paths (issue 7 acceptance).
 */
class OptionFamiliesTest {
    @TempDir
    static Path shared;
    private static TinyTrainingRun tiny;
    private static Path data;

    @BeforeAll
    static void open() throws Exception {
        tiny = new TinyTrainingRun();
        data = TinyTrainingRun.dataset(shared.resolve("train"), "2_kiki", 4);
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    @Test
    void keepTokens_withShuffleCaption_theTrainersCaptionsKeepTheFirstTokenAndShuffleTheRest() throws Exception {
        Path dir = shared.resolve("keep");
        TinyTrainingRun.dataset(dir, "3_kiki", 4);
        try (var files = Files.list(dir.resolve("3_kiki"))) {
            for (Path caption : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
                Files.writeString(caption, "kiki, ring, grey background, red, round, outline, centered");
            }
        }
        TrainingSetup setup = TrainingSetup.resolve(TinyTrainingRun.args(dir, shared.resolve("keep-out"),
                "--shuffle_caption", "--keep_tokens=1"), BadInputPolicy.STOP, 7);
        BatchInputs inputs = new BatchInputs(tiny.model, tiny.tokenizer, setup.dataset(), setup.text(), false, null, "vae",
                new StepSeeds(setup.seed()));
        EpochIterator iterator = new EpochIterator(setup.dataset(), setup.trainBatchSize(), setup.seed(), setup.priorLossWeight());
        Set<String> orders = new HashSet<>();
        long micro = 0;
        for (int epoch = 1; epoch <= 2; epoch++) {
            for (EpochIterator.Batch batch : iterator.epoch(epoch)) {
                for (String caption : inputs.captions(batch, epoch - 1, micro, 100, micro)) {
                    assertTrue(caption.startsWith("kiki, "), caption);
                    assertEquals(Set.of("kiki", "ring", "grey background", "red", "round", "outline", "centered"),
                            Set.of(caption.split(", ")), caption);
                    orders.add(caption);
                }
                micro++;
            }
        }
        assertTrue(orders.size() > 3, "shuffle_caption shuffles the tokens after the kept one: " + orders);
    }

    @Test
    void scaleWeightNorms_capsEveryModulesNormInTheSavedFile() throws Exception {
        double maxNorm = 0.02;
        LoraTrainer.Result free = tiny.train(TinyTrainingRun.args(data, shared.resolve("norm-free"),
                "--max_train_steps=4", "--learning_rate=1e-2", "--network_train_unet_only"), TrainingListener.SILENT, null);
        LoraTrainer.Result capped = tiny.train(TinyTrainingRun.args(data, shared.resolve("norm-capped"),
                "--max_train_steps=4", "--learning_rate=1e-2", "--network_train_unet_only",
                "--scale_weight_norms=" + maxNorm), TrainingListener.SILENT, null);
        double freeMax = 0;
        for (LoraModule m : LoraReader.read(free.last()).modules().values()) {
            freeMax = Math.max(freeMax, norm(m));
        }
        assertTrue(freeMax > 2 * maxNorm, "without the option some module exceeds the cap: " + freeMax);
        double cappedMax = 0;
        int atCap = 0;
        for (LoraModule m : LoraReader.read(capped.last()).modules().values()) {
            double n = norm(m);
            cappedMax = Math.max(cappedMax, n);
            assertTrue(n <= maxNorm * (1 + 1e-4), m.name() + ": norm " + n + " above scale_weight_norms " + maxNorm);
            if (n > maxNorm * (1 - 1e-4)) {
                atCap++;
            }
        }
        System.out.printf("ACCEPTANCE scale_weight_norms=%.3f: max module norm %.4f without, %.4f with (%d modules at the cap)%n",
                maxNorm, freeMax, cappedMax, atCap);
        assertTrue(atCap > 0, "the cap binds for some module");
    }

    /** kohya's reported norm: ||up @ down||_F * alpha / dim (a conv's down flattened to (dim, in*kh*kw)). */
    private static double norm(LoraModule m) {
        LoraTensor down = m.tensor("lora_down.weight").orElseThrow();
        LoraTensor up = m.tensor("lora_up.weight").orElseThrow();
        int rank = (int) down.shape()[0];
        int in = down.values().length / rank;
        int out = up.values().length / rank;
        double sum = 0;
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double v = 0;
                for (int r = 0; r < rank; r++) {
                    v += (double) up.values()[o * rank + r] * down.values()[r * in + i];
                }
                sum += v * v;
            }
        }
        return Math.sqrt(sum) * m.alpha().orElse((float) rank) / rank;
    }

    @Test
    void warmup_rampsTheLoggedLearningRateLinearlyToTheBaseRate() throws Exception {
        List<Double> lrs = new ArrayList<>();
        tiny.train(TinyTrainingRun.args(data, shared.resolve("warmup"), "--max_train_steps=6", "--network_train_unet_only",
                "--lr_scheduler=constant_with_warmup", "--lr_warmup_steps=4", "--learning_rate=1e-3"), new TrainingListener() {
                    @Override
                    public void message(String line) {}

                    @Override
                    public void step(long step, long maxSteps, StepReport report) {
                        lrs.add(report.lrs()[0]);
                    }
                }, null);
        assertEquals(6, lrs.size());
        // the lr a step used: step k (from 0) of a 4-step warmup runs at k/4 of the rate
        double[] expected = {0, 0.25e-3, 0.5e-3, 0.75e-3, 1e-3, 1e-3};
        for (int k = 0; k < 6; k++) {
            assertEquals(expected[k], lrs.get(k), 1e-12, "logged lr at step " + (k + 1) + ": " + lrs);
        }
    }

    @Test
    void buckets_twoAspectRatios_eachBatchHoldsOneBucketAndTheRunTrains() throws Exception {
        Path dir = shared.resolve("aspect");
        Path folder = Files.createDirectories(dir.resolve("2_shapes"));
        for (int i = 0; i < 4; i++) {
            boolean wide = i % 2 == 0;
            BufferedImage image = new BufferedImage(wide ? 256 : 128, wide ? 64 : 128, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(60 * i, 120, 200));
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.dispose();
            ImageIO.write(image, "png", folder.resolve("img" + i + ".png").toFile());
            Files.writeString(folder.resolve("img" + i + ".txt"), wide ? "wide, banner" : "square, tile");
        }
        List<String> bucketArgs = List.of("--resolution=128", "--enable_bucket", "--min_bucket_reso=64",
                "--max_bucket_reso=256", "--bucket_reso_steps=64", "--max_train_steps=4", "--network_train_unet_only");
        var args = TinyTrainingRun.args(dir, shared.resolve("aspect-out"), bucketArgs.toArray(String[]::new));
        TrainingSetup setup = TrainingSetup.resolve(args, BadInputPolicy.STOP, 7);
        EpochIterator iterator = new EpochIterator(setup.dataset(), setup.trainBatchSize(), setup.seed(), setup.priorLossWeight());
        Set<Size> buckets = new HashSet<>();
        for (EpochIterator.Batch batch : iterator.epoch(1)) {
            for (EpochIterator.Sample s : batch.samples()) {
                assertEquals(batch.bucket(), s.image().bucket().bucket(), "a batch never mixes buckets: " + batch);
            }
            buckets.add(batch.bucket());
        }
        assertEquals(Set.of(new Size(256, 64), new Size(128, 128)), buckets);
        LoraTrainer.Result r = tiny.train(args, TrainingListener.SILENT, null);
        assertEquals(4, r.steps());
    }

    /** With conv_dim, so that IN06 (the downsampler, a 3x3 conv only C3Lier targets) has modules too. */
    @Test
    void trainBlocks_leavesEveryUnselectedBlockOutOfTheSavedFile() throws Exception {
        LoraTrainer.Result r = tiny.train(TinyTrainingRun.args(data, shared.resolve("blocks"), "--max_train_steps=2",
                "--network_train_unet_only", "--network_args", "train_blocks=IN04-IN07", "conv_dim=4", "conv_alpha=1"), TrainingListener.SILENT, null);
        Set<LbwBlock> present = EnumSet.noneOf(LbwBlock.class);
        for (String name : LoraReader.read(r.last()).modules().keySet()) {
            present.add(KohyaModuleNames.blockOfModuleName(name).orElseThrow(() -> new AssertionError("no block: " + name)));
        }
        assertEquals(EnumSet.of(LbwBlock.IN04, LbwBlock.IN05, LbwBlock.IN06, LbwBlock.IN07), present);
    }

    @Test
    void networkTrainUnetOnly_savesNoTextEncoderKeys() throws Exception {
        LoraNetwork n = LoraReader.read(tiny.train(TinyTrainingRun.args(data, shared.resolve("unet-only"),
                "--max_train_steps=1", "--network_train_unet_only"), TrainingListener.SILENT, null).last());
        assertFalse(n.modules().isEmpty());
        assertTrue(n.modules().keySet().stream().allMatch(k -> k.startsWith("lora_unet_")), n.modules().keySet()::toString);
    }

    @Test
    void networkTrainTextEncoderOnly_savesOnlyTextEncoderKeys() throws Exception {
        LoraNetwork n = LoraReader.read(tiny.train(TinyTrainingRun.args(data, shared.resolve("te-only"),
                "--max_train_steps=1", "--network_train_text_encoder_only"), TrainingListener.SILENT, null).last());
        assertEquals(12, n.modules().size(), "the tiny text encoder's 2 layers x 6 modules");
        assertTrue(n.modules().keySet().stream().allMatch(k -> k.startsWith("lora_te_")), n.modules().keySet()::toString);
    }
}
