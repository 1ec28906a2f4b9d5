package dev.bakehouse.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetConfigTomlTest {
    private static final String CONFIG = """
            [general]
            shuffle_caption = true
            caption_extension = '.txt'
            keep_tokens = 1

            [[datasets]]
            resolution = 512
            batch_size = 4
            enable_bucket = true

              [[datasets.subsets]]
              image_dir = '/data/dog'
              class_tokens = 'sks dog'
              num_repeats = 10

              [[datasets.subsets]]
              image_dir = '/data/reg'
              is_reg = true
              keep_tokens = 0
              flip_aug = true

            [[datasets]]
            resolution = [768, 512]
            keep_tokens = 2

              [[datasets.subsets]]
              image_dir = '/data/style'
              caption_extension = 'caption'
            """;

    @Test
    void parse_subsetDatasetGeneralArgs_inheritInKohyasOrder() {
        List<DatasetConfigToml.DatasetSpec> ds = DatasetConfigToml.parse(CONFIG, "cfg.toml",
                Map.of("train_batch_size", 2, "max_bucket_reso", 2048));
        assertEquals(2, ds.size());
        DatasetConfigToml.DatasetSpec a = ds.get(0);
        assertEquals(new Size(512, 512), a.buckets().resolution());
        assertEquals(4, a.batchSize());
        assertTrue(a.buckets().enableBucket());
        assertEquals(2048, a.buckets().maxBucketReso());
        DreamBoothSubset dog = a.subsets().get(0);
        assertEquals(Path.of("/data/dog"), dog.folder().imageDir());
        assertEquals(10, dog.folder().numRepeats());
        assertEquals("sks dog", dog.folder().classTokens());
        assertEquals(".txt", dog.captionExtension());
        assertTrue(dog.captions().shuffleCaption());
        assertEquals(1, dog.captions().keepTokens());
        DreamBoothSubset reg = a.subsets().get(1);
        assertTrue(reg.folder().isReg());
        assertEquals(0, reg.captions().keepTokens());
        assertTrue(reg.augmentation().flipAug());
        assertNull(reg.folder().classTokens());
        assertEquals(1, reg.folder().numRepeats());
        DatasetConfigToml.DatasetSpec b = ds.get(1);
        assertEquals(new Size(768, 512), b.buckets().resolution());
        assertEquals(2, b.batchSize(), "train_batch_size from the command line");
        assertEquals(2, b.subsets().get(0).captions().keepTokens(), "dataset value over general");
        assertEquals(".caption", b.subsets().get(0).captionExtension());
    }

    @Test
    void parse_unknownKey_errorNamesKeyAndTable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetConfigToml.parse("""
                [[datasets]]
                resolution = 512
                  [[datasets.subsets]]
                  image_dir = '/x'
                  num_repeat = 3
                """, "cfg.toml", Map.of()));
        assertTrue(e.getMessage().contains("num_repeat") && e.getMessage().contains("[[datasets.subsets]] #1"),
                e.getMessage());
    }

    @Test
    void parse_wrongType_errorNamesKeyExpectedAndFound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetConfigToml.parse("""
                [[datasets]]
                resolution = 512
                  [[datasets.subsets]]
                  image_dir = '/x'
                  num_repeats = 'ten'
                """, "cfg.toml", Map.of()));
        assertTrue(e.getMessage().contains("num_repeats: expected an integer, found \"ten\""), e.getMessage());
    }

    @Test
    void load_subsetWithoutClassTokensOrCaption_emptyCaptionWithKohyasWarning(@TempDir Path root) throws IOException {
        Path dir = root.resolve("style");
        Files.createDirectories(dir);
        Files.write(dir.resolve("a.png"), new byte[0]);
        Files.write(dir.resolve("b.png"), new byte[0]);
        Files.writeString(dir.resolve("b.txt"), "flat colours, thick lines\n");
        String toml = "[general]\ncaption_extension = '.txt'\n[[datasets]]\nresolution = 512\nenable_bucket = true\n"
                + "  [[datasets.subsets]]\n  image_dir = '" + dir + "'\n  num_repeats = 3\n";
        DatasetConfigToml.DatasetSpec spec = DatasetConfigToml.parse(toml, "cfg.toml", Map.of()).get(0);
        DreamBoothDataset d = spec.load(BucketOptions.Script.TRAIN_NETWORK, p -> new Size(512, 768), BadInputPolicy.STOP);
        assertEquals(List.of("", "flat colours, thick lines"), d.subsets().get(0).captions());
        assertEquals(6, d.numTrainImages());
        assertTrue(d.warnings().contains("neither caption file nor class tokens are found. use empty caption for "
                + dir.resolve("a.png")), d.warnings().toString());
        assertEquals("{\"style\": {\"flat colours\": 1, \"thick lines\": 1}}", PythonJson.dumps(d.tagFrequency()));
    }
}
