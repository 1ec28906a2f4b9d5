package dev.bakehouse.train.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.model.Checkpoints;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.SharedResources;
import dev.bakehouse.train.data.BadInputPolicy;
import dev.bakehouse.train.data.DatasetException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets one clear message naming what is wrong, before anything trains: every dataset
 * fault of issue 7, a wrong optimizer_args key, kohya's option conflicts, and a checkpoint that is
 * not SD1.x.
 */
class BadInputAcceptanceTest {
    @TempDir
    Path dir;
    private static TinyTrainingRun tiny;

    @BeforeAll
    static void open() throws Exception {
        tiny = new TinyTrainingRun();
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    private TrainingSetup resolve(Path data, String... extra) {
        return TrainingSetup.resolve(TinyTrainingRun.args(data, dir.resolve("out"), extra), BadInputPolicy.STOP, 7);
    }

    /** What the trainer prints about the dataset before step 1. */
    private static String warnings(TrainingSetup setup) {
        return String.join("\n", setup.datasetReport());
    }

    @Test
    void brokenImage_stopsWithAReportNamingTheFile() throws Exception {
        Path data = TinyTrainingRun.dataset(dir.resolve("data"), "2_kiki", 3);
        Path broken = data.resolve("2_kiki/img_01.png");
        Files.writeString(broken, "this is not a PNG");
        DatasetException e = assertThrows(DatasetException.class, () -> resolve(data));
        assertTrue(e.getMessage().contains(broken.toString()) || e.getMessage().contains("img_01.png"), e.getMessage());
        assertEquals(1, e.problems().size(), e.problems()::toString);
        System.out.println("BAD INPUT broken image: " + e.getMessage());
    }

    @Test
    void brokenImage_withSkip_trainsOnTheRestAndSaysWhichWasLeftOut() throws Exception {
        Path data = TinyTrainingRun.dataset(dir.resolve("data"), "2_kiki", 3);
        Files.writeString(data.resolve("2_kiki/img_01.png"), "this is not a PNG");
        TrainingSetup setup = TrainingSetup.resolve(TinyTrainingRun.args(data, dir.resolve("out")), BadInputPolicy.SKIP, 7);
        assertEquals(2, setup.dataset().subsets().get(0).images().size());
        assertTrue(warnings(setup).contains("img_01.png") && warnings(setup).contains("left out"), warnings(setup));
    }

    @Test
    void missingCaption_withCaptionExtension_isReportedNamingTheImageAndTheExtension() throws Exception {
        Path data = TinyTrainingRun.dataset(dir.resolve("data"), "2_kiki", 3);
        Files.delete(data.resolve("2_kiki/img_02.txt"));
        String w = warnings(resolve(data));
        System.out.println("BAD INPUT missing caption: " + w);
        assertTrue(w.contains("img_02.png: no .txt caption file"), w);
    }

    @Test
    void imageSmallerThanTheSmallestBucket_isReportedNamingTheImageAndItsSize() throws Exception {
        Path data = TinyTrainingRun.dataset(dir.resolve("data"), "2_kiki", 2);
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png", data.resolve("2_kiki/small.png").toFile());
        Files.writeString(data.resolve("2_kiki/small.txt"), "kiki");
        String w = warnings(resolve(data, "--enable_bucket", "--min_bucket_reso=64", "--max_bucket_reso=128",
                "--bucket_reso_steps=64"));
        System.out.println("BAD INPUT small image: " + w);
        assertTrue(w.contains("small.png: image") && w.contains("smaller than the smallest bucket"), w);
    }

    @Test
    void emptyRepeatsFolder_isReportedNamingTheFolder() throws Exception {
        Path data = TinyTrainingRun.dataset(dir.resolve("data"), "2_kiki", 2);
        Files.createDirectories(data.resolve("3_empty"));
        String w = warnings(resolve(data));
        System.out.println("BAD INPUT empty folder: " + w);
        assertTrue(w.contains("3_empty"), w);
    }

    @Test
    void noRepeatsPrefixedFolder_failsNamingTheNamingRule() throws Exception {
        Path data = TinyTrainingRun.dataset(dir.resolve("data"), "kiki", 2);
        Exception e = assertThrows(RuntimeException.class, () -> resolve(data));
        System.out.println("BAD INPUT no N_ folder: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("No data found") && e.getMessage().contains("kiki"), e.getMessage());
    }

    @Test
    void wrongOptimizerArgsKey_failsNamingTheKey() throws Exception {
        Path data = TinyTrainingRun.dataset(dir.resolve("data"), "2_kiki", 2);
        Exception e = assertThrows(RuntimeException.class, () -> tiny.train(TinyTrainingRun.args(data, dir.resolve("out"),
                "--max_train_steps=1", "--optimizer_type=AdamW", "--optimizer_args", "betas=0.9,0.99", "warmup_init=True"),
                TrainingListener.SILENT, null));
        System.out.println("BAD INPUT optimizer_args: " + e.getMessage());
        assertTrue(e.getMessage().contains("warmup_init") && e.getMessage().contains("AdamW"), e.getMessage());
    }

    @Test
    void conflictingOptions_failBeforeTrainingNamingBothOptions() throws Exception {
        Path data = TinyTrainingRun.dataset(dir.resolve("data"), "2_kiki", 2);
        for (List<String> pair : List.of(List.of("--cache_latents", "--random_crop"),
                List.of("--network_train_unet_only", "--network_train_text_encoder_only"))) {
            Exception e = assertThrows(RuntimeException.class, () -> TinyTrainingRun.args(data, dir.resolve("out"),
                    pair.toArray(String[]::new)), pair::toString);
            System.out.println("BAD INPUT " + pair + ": " + e.getMessage());
            for (String option : pair) {
                assertTrue(e.getMessage().contains(option.substring(2)), pair + ": " + e.getMessage());
            }
        }
    }

    @Test
    void validationOptions_withImpossibleValues_failNamingTheOption() throws Exception {
        Path data = TinyTrainingRun.dataset(dir.resolve("data"), "2_kiki", 2);
        for (String option : List.of("--validation_split=1.5", "--validation_split=-0.1", "--validate_every_n_steps=0",
                "--validate_every_n_epochs=0", "--max_validation_steps=-1")) {
            Exception e = assertThrows(IllegalArgumentException.class, () -> resolve(data, option));
            String flag = option.substring(0, option.indexOf('='));
            assertTrue(e.getMessage().startsWith(flag + ": expected "), e.getMessage());
        }
    }

    @Test
    void sdxlCheckpoint_isRefusedAsNotSd1() {
        // as train_network loads it: no sidecar config, the architecture inferred from the weights
        Exception e = assertThrows(Exception.class, () -> Checkpoints.load(Fixtures.file("sdxl-tiny/tiny.safetensors"),
                null, ComputeDevice.CPU).close());
        System.out.println("BAD INPUT SDXL checkpoint: " + e.getMessage());
        assertTrue(e.getMessage().contains("SDXL") || e.getMessage().contains("SD1"), e.getMessage());
    }

}
