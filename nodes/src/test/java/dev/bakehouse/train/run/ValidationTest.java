package dev.bakehouse.train.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bakehouse.lora.network.LoraLayer;
import dev.bakehouse.lora.network.TrainableLoraNetwork;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.testing.SharedResources;
import dev.bakehouse.train.data.BadInputPolicy;
import dev.bakehouse.train.data.DreamBoothDataset;
import dev.bakehouse.train.data.EpochIterator;
import dev.bakehouse.train.data.ImageEntry;
import dev.bakehouse.train.data.ValidationSplit;
import dev.bakehouse.train.noise.DdpmSchedule;
import dev.bakehouse.train.noise.SeededDraws;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationTest {
    @TempDir
    static Path shared;
    @TempDir
    Path out;

    private static TinyTrainingRun tiny;
    private static Path data;
    private static Path reg;

    @BeforeAll
    static void open() throws Exception {
        tiny = new TinyTrainingRun();
        data = TinyTrainingRun.dataset(shared.resolve("train"), "2_kiki", 4);
        TinyTrainingRun.dataset(data, "3_koko", 6);
        reg = TinyTrainingRun.dataset(shared.resolve("reg"), "1_ring", 2);
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    private TrainingSetup setup(String... extra) {
        return TrainingSetup.resolve(TinyTrainingRun.args(data, out, extra), BadInputPolicy.STOP, 7);
    }

    private static List<Path> images(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    private static List<Path> paths(DreamBoothDataset d, String folder) {
        return d.registered().stream().map(ImageEntry::path).filter(p -> p.getParent().getFileName().toString()
                .equals(folder)).sorted().toList();
    }

    private static List<Path> sorted(List<Path> paths) {
        return paths.stream().sorted().toList();
    }

    @Test
    void split_isPerSubset_disjoint_seeded_andThePlanCountsOnlyTrainingImages() throws Exception {
        TrainingSetup s = setup("--validation_split=0.5", "--validation_seed=5", "--reg_data_dir=" + reg);
        DreamBoothDataset training = s.dataset();
        DreamBoothDataset held = s.validationDataset();
        ValidationSplit split = new ValidationSplit(0.5, 5);
        for (String folder : List.of("2_kiki", "3_koko")) {
            List<Path> all = images(data.resolve(folder));
            assertEquals(sorted(split.part(all, false, ValidationSplit.Side.TRAINING)), paths(training, folder), folder);
            assertEquals(sorted(split.part(all, false, ValidationSplit.Side.VALIDATION)), paths(held, folder), folder);
            Set<Path> both = new HashSet<>(paths(training, folder));
            both.retainAll(paths(held, folder));
            assertTrue(both.isEmpty(), folder + ": " + both);
        }
        assertEquals(2 * 2 + 3 * 3, training.numTrainImages(), "training images x repeats");
        assertEquals(2 + 3, held.numTrainImages(), "held-out images count once (kohya's num_repeats 1)");
        assertTrue(held.registered().stream().noneMatch(ImageEntry::isReg), "no reg image validates");
        assertEquals(2, training.registered().stream().filter(ImageEntry::isReg).count(), "reg images all train");
        assertEquals(13, s.plan().numTrainImages());
        assertTrue(s.plan().planLine().startsWith("13 images x repeats (+2 reg)"), s.plan().planLine());
    }

    @Test
    void split_withoutValidationSeed_shufflesWithTheRunSeed_andZeroHoldsNothingOut() throws Exception {
        TrainingSetup bySeed = setup("--validation_split=0.5"); // TinyTrainingRun passes --seed=42
        TrainingSetup byValidationSeed = setup("--validation_split=0.5", "--validation_seed=42");
        TrainingSetup other = setup("--validation_split=0.5", "--validation_seed=5");
        assertEquals(paths(byValidationSeed.validationDataset(), "3_koko"), paths(bySeed.validationDataset(), "3_koko"));
        assertNotEquals(paths(other.validationDataset(), "3_koko"), paths(bySeed.validationDataset(), "3_koko"));
        TrainingSetup none = setup("--validation_split=0");
        assertNull(none.validationDataset());
        assertEquals(2 * 4 + 3 * 6, none.dataset().numTrainImages());
    }

    @Test
    void datasetConfig_validationSplitAndSeed_holdOutPerSubsetAsOnTheCommandLine() throws Exception {
        Path toml = out.resolve("dataset.toml");
        Files.writeString(toml, """
                [general]
                caption_extension = '.txt'
                [[datasets]]
                resolution = 64
                validation_split = 0.5
                validation_seed = 5
                  [[datasets.subsets]]
                  image_dir = '%s'
                  num_repeats = 3
                """.formatted(data.resolve("3_koko").toString().replace("\\", "/")));
        TrainingSetup s = TrainingSetup.resolve(TinyTrainingRun.args(data, out, "--dataset_config=" + toml),
                BadInputPolicy.STOP, 7);
        ValidationSplit split = new ValidationSplit(0.5, 5);
        List<Path> all = images(data.resolve("3_koko"));
        assertEquals(sorted(split.part(all, false, ValidationSplit.Side.VALIDATION)), paths(s.validationDataset(), "3_koko"));
        assertEquals(3 * 3, s.dataset().numTrainImages());
    }

    @Test
    void timesteps_areKohyasLinspaceWithoutItsEnds() {
        DdpmSchedule sd = DdpmSchedule.sd15();
        assertArrayEquals(new long[] {200, 400, 600, 800}, Validation.timesteps(setup().noise(), sd));
        assertArrayEquals(new long[] {260, 420, 580, 740},
                Validation.timesteps(setup("--min_timestep=100", "--max_timestep=900").noise(), sd));
        // np.linspace(0, 999, 6, dtype=int): 199.8, 399.6, ... truncated
        assertArrayEquals(new long[] {199, 399, 599, 799}, Validation.timesteps(setup("--max_timestep=999").noise(), sd));
    }

    @Test
    void losses_areReproducible_equalADirectComputation_andLeakNothing() throws Exception {
        // network_dropout would make two passes differ if the network were not in eval mode
        TrainingSetup s = setup("--validation_split=0.5", "--validation_seed=3", "--network_dropout=0.5");
        DdpmSchedule sd = DdpmSchedule.sd15();
        Validation v = new Validation(s, tiny.model, tiny.tokenizer, sd, out.resolve("cache"), "tiny-vae");
        assertEquals(3, v.batchesPerPass(), "2 + 3 held-out 64x64 images in batches of 2");
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(tiny.model, s.network(), new SplittableRandom(1),
                null)) {
            double[] untrained = v.losses(net);
            try (NDManager m = tiny.model.manager().newSubManager()) {
                for (LoraLayer l : net.layers()) { // lora_up starts at zero: give the network an effect
                    l.up().addi(m.full(l.up().getShape(), 0.05f));
                }
            }
            double[] first = v.losses(net);
            double[] second = v.losses(net);
            assertEquals(3 * 4, first.length, "batches x timesteps");
            assertArrayEquals(first, second, "same weights, same validation loss");
            assertTrue(!java.util.Arrays.equals(untrained, first), "the LoRA takes part in the validation");

            double maxRelative = 0;
            long[] ts = v.timesteps();
            for (int b = 0; b < v.batchesPerPass(); b++) {
                for (int t = 0; t < ts.length; t++) {
                    double direct = directLoss(v, s, sd, b, t, ts[t]);
                    maxRelative = Math.max(maxRelative, Math.abs(direct - first[b * ts.length + t]) / direct);
                }
            }
            System.out.println("VALIDATION direct vs Validation.losses: max relative difference " + maxRelative);
            assertTrue(maxRelative < 1e-5, "max relative difference " + maxRelative);

            int modelArrays = tiny.model.manager().getManagedArrays().size();
            int netArrays = net.manager().getManagedArrays().size();
            for (int pass = 0; pass < 3; pass++) {
                v.losses(net);
            }
            assertEquals(modelArrays, tiny.model.manager().getManagedArrays().size(), "arrays in the model's manager");
            assertEquals(netArrays, net.manager().getManagedArrays().size(), "arrays in the network's manager");
        }
    }

    /**
     * One (batch, timestep) loss written out: the held-out latents and context, the validation
     * seed's noise, {@code sqrt(acp) x0 + sqrt(1 - acp) eps} at the fixed timestep, the UNet with the
     * LoRA, and the epsilon MSE in double precision.
     */
    private static double directLoss(Validation v, TrainingSetup s, DdpmSchedule sd, int b, long position, long timestep) {
        try (NDManager m = tiny.model.manager().newSubManager()) {
            EpochIterator.Batch batch = v.batches().get(b);
            NDArray latents = v.inputs().latents(batch, m, b);
            NDArray context = v.inputs().context(v.captions(b), m);
            long seed = new StepSeeds(3).of(StepSeeds.Purpose.VALIDATION_NOISE, b * 4L + position);
            float[] eps = new SeededDraws(seed).normal(m, latents.getShape()).toFloatArray();
            float[] x0 = latents.toFloatArray();
            double acp = sd.alphaCumprod(timestep);
            float[] noisy = new float[x0.length];
            for (int i = 0; i < x0.length; i++) {
                noisy[i] = (float) (Math.sqrt(acp) * x0[i] + Math.sqrt(1 - acp) * eps[i]);
            }
            float[] t = new float[batch.samples().size()];
            java.util.Arrays.fill(t, timestep);
            float[] pred = tiny.model.unet().forward(OwnedArrays.of(m, noisy, latents.getShape()), OwnedArrays.of(m, t),
                    context).toFloatArray();
            double sum = 0;
            for (int i = 0; i < pred.length; i++) {
                sum += (pred[i] - eps[i]) * (double) (pred[i] - eps[i]);
            }
            return sum / pred.length;
        }
    }

    @Test
    void maxValidationSteps_capsTheBatchesOfAPass() {
        TrainingSetup s = setup("--validation_split=0.5", "--train_batch_size=1", "--max_validation_steps=2");
        Validation v = new Validation(s, tiny.model, tiny.tokenizer, DdpmSchedule.sd15(), out.resolve("cache"), "tiny-vae");
        assertEquals(2, v.batchesPerPass(), "min(max_validation_steps, 5 batches)");
        TrainingSetup all = setup("--validation_split=0.5", "--train_batch_size=1");
        assertEquals(5, new Validation(all, tiny.model, tiny.tokenizer, DdpmSchedule.sd15(), out.resolve("cache"),
                "tiny-vae").batchesPerPass());
    }

    @Test
    void schedule_followsKohyasStepAndEpochRules() {
        Validation.Schedule byDefault = new Validation.Schedule(null, null, null);
        assertTrue(byDefault.atEpochEnd(1) && byDefault.atEpochEnd(2), "every epoch by default");
        assertTrue(!byDefault.atStep(1) && !byDefault.atStep(100), "no step validation by default");
        Validation.Schedule s = new Validation.Schedule(3, 2, null);
        assertEquals(List.of(3L, 6L, 9L), Stream.iterate(1L, i -> i + 1).limit(10).filter(s::atStep).toList());
        assertEquals(List.of(2, 4), Stream.iterate(1, i -> i + 1).limit(5).filter(s::atEpochEnd).toList());
    }

    @Test
    void training_validatesAtTheScheduledStepsAndEpochEnds_logsIt_andTrainsAsWithoutIt() throws Exception {
        Path solo = TinyTrainingRun.dataset(out.resolve("solo"), "1_solo", 4);
        String[] common = {"--validation_split=0.5", "--train_batch_size=1", "--max_train_epochs=3"};
        // 2 training images, batch 1: 2 steps per epoch, 6 steps; kohya validates at steps 3 and 6
        // (every 3rd step) and at the end of epoch 2 (step 4)
        RecordingListener scheduled = new RecordingListener();
        LoraTrainer.Result r = tiny.train(args(solo, "a", common, "--validate_every_n_steps=3",
                "--validate_every_n_epochs=2"), scheduled, () -> false);
        List<Long> validatedAt = new ArrayList<>();
        for (int i = 0; i < scheduled.validation.size(); i++) {
            if (Double.isFinite(scheduled.validation.get(i))) {
                validatedAt.add(i + 1L);
            }
        }
        assertEquals(List.of(3L, 4L, 6L), validatedAt);
        assertTrue(scheduled.lines.stream().anyMatch(l -> l.startsWith("2 images x repeats (+0 reg)")), scheduled.lines::toString);
        assertTrue(scheduled.lines.contains("validation: 2 held-out images, 2 batches x 4 timesteps [200, 400, 600, 800]"
                + " per pass, every 3 steps, every 2 epochs"), scheduled.lines::toString);
        List<String> csv = Files.readAllLines(r.log());
        assertTrue(csv.get(0).endsWith(",val_loss,val_avr_loss"), csv.get(0));
        for (long step : validatedAt) {
            String[] f = csv.get((int) step).split(",", -1);
            assertEquals(scheduled.validation.get((int) step - 1), Double.parseDouble(f[f.length - 2]), 1e-6);
            // after the first epoch each pass replaces the recorder's positions: the average is the pass
            assertEquals(Double.parseDouble(f[f.length - 2]), Double.parseDouble(f[f.length - 1]), 1e-6);
        }
        assertTrue(csv.get(1).endsWith(",,"), csv.get(1));
        var metadata = dev.bakehouse.lora.format.LoraReader.read(r.last()).metadata();
        assertEquals("2", metadata.get("ss_num_validation_images"));
        assertEquals("0.5", metadata.get("ss_validation_split"));
        assertEquals("3", metadata.get("ss_validate_every_n_steps"));

        // the held-out images are drawn from their own seeds: validating changes no training draw
        RecordingListener never = new RecordingListener();
        tiny.train(args(solo, "b", common, "--validate_every_n_epochs=100"), never, () -> false);
        assertEquals(scheduled.losses, never.losses);
        assertTrue(never.validation.stream().allMatch(d -> Double.isNaN(d)));
    }

    @Test
    void stepValidationsOfTheFirstEpoch_averageLikeKohyasRecorder() throws Exception {
        Path solo = TinyTrainingRun.dataset(out.resolve("solo"), "1_solo", 4);
        RecordingListener rec = new RecordingListener();
        LoraTrainer.Result r = tiny.train(args(solo, "c", new String[] {"--validation_split=0.5", "--train_batch_size=1",
                "--max_train_epochs=1"}, "--validate_every_n_steps=1"), rec, () -> false);
        List<String> csv = Files.readAllLines(r.log());
        String[] step1 = csv.get(1).split(",", -1);
        String[] step2 = csv.get(2).split(",", -1);
        double v1 = Double.parseDouble(step1[step1.length - 2]);
        double v2 = Double.parseDouble(step2[step2.length - 2]);
        assertEquals(v1, Double.parseDouble(step1[step1.length - 1]), 1e-6);
        // kohya appends every pass of epoch 0 to its step recorder: the average spans both passes
        assertEquals((v1 + v2) / 2, Double.parseDouble(step2[step2.length - 1]), 1e-6);
        assertNotEquals(v1, v2, "one step of training moves the validation loss");
    }

    private dev.bakehouse.train.config.TrainNetworkArgs args(Path dataDir, String name, String[] common, String... extra) {
        List<String> all = new ArrayList<>(List.of(common));
        all.add("--output_name=" + name);
        all.addAll(List.of(extra));
        return TinyTrainingRun.args(dataDir, out.resolve(name), all.toArray(String[]::new));
    }
}
