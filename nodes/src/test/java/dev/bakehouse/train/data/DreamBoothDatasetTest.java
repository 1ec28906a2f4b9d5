package dev.bakehouse.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DreamBoothDatasetTest {
    @TempDir
    Path root;

    /** A fixture tree written under the temp root; images are empty files whose size the stub reader knows. */
    static final class Tree {
        final Path root;
        final Map<Path, Size> sizes = new HashMap<>();

        Tree(Path root, JsonNode entries) throws IOException {
            this.root = root;
            assertFalse(root.toString().contains("_"), "the temp root must not add '_' to the face-crop rule");
            for (JsonNode e : entries) {
                Path p = at(e.get("path").asText());
                Files.createDirectories(e.get("type").asText().equals("dir") ? p : p.getParent());
                switch (e.get("type").asText()) {
                    case "image" -> {
                        Files.write(p, new byte[0]);
                        sizes.put(p, KohyaFixtures.size(e.get("size")));
                    }
                    case "file" -> Files.writeString(p, e.get("content").asText(), StandardCharsets.UTF_8);
                    default -> { }
                }
            }
        }

        Path at(String fixturePath) {
            return root.resolve(fixturePath.substring(1));
        }

        String rel(Path p) {
            return "/" + root.relativize(p).toString();
        }

        ImageSizeReader reader() {
            return p -> {
                Size s = sizes.get(p);
                if (s == null) {
                    throw new IOException("no size for " + p);
                }
                return s;
            };
        }
    }

    static DreamBoothDataset load(Tree tree, JsonNode args) throws IOException {
        Size res = Size.parseResolution(args.get("resolution").asText());
        boolean enable = args.get("enable_bucket").asBoolean();
        BucketOptions options = enable
                ? new BucketOptions(res, true, args.get("min_bucket_reso").asInt(), args.get("max_bucket_reso").asInt(),
                        args.get("bucket_reso_steps").asInt(), args.get("bucket_no_upscale").asBoolean())
                : BucketOptions.defaults(res, false);
        CaptionOptions captions = new CaptionOptions(args.path("shuffle_caption").asBoolean(false), ",",
                args.path("keep_tokens").asInt(0), "", null, false, null, null, 0, 0, 0, 1, 0);
        return DreamBoothDataset.fromFolders(tree.at(args.get("train_data_dir").asText()),
                tree.at(args.get("reg_data_dir").asText()), args.get("caption_extension").asText(), captions,
                Augmentation.NONE, options, BucketOptions.Script.TRAIN_NETWORK, tree.reader(), BadInputPolicy.STOP);
    }

    static Map<String, Object> tagFrequencyOf(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> {
            Map<String, Integer> tags = new LinkedHashMap<>();
            f.getValue().fields().forEachRemaining(t -> tags.put(t.getKey(), t.getValue().asInt()));
            out.put(f.getKey(), tags);
        });
        return out;
    }

    @Test
    void load_everyFixtureTree_matchesKohyaSubsetsCaptionsBalancingTagsAndBuckets() throws IOException {
        for (JsonNode t : KohyaFixtures.read("folders.json").get("trees")) {
            String id = t.get("id").asText();
            Tree tree = new Tree(root.resolve(id.replace("_", "")), t.get("entries"));
            JsonNode ex = t.get("expected");
            DreamBoothDataset d = load(tree, t.get("args"));

            List<String> dirs = new ArrayList<>();
            d.subsets().forEach(s -> dirs.add(tree.rel(s.subset().folder().imageDir())));
            List<String> expectedDirs = new ArrayList<>();
            ex.get("subsets").forEach(s -> expectedDirs.add(s.get("image_dir").asText()));
            assertEquals(expectedDirs, dirs, id);
            for (int i = 0; i < d.subsets().size(); i++) {
                JsonNode es = ex.get("subsets").get(i);
                DreamBoothDataset.LoadedSubset s = d.subsets().get(i);
                assertEquals(es.get("num_repeats").asInt(), s.subset().folder().numRepeats(), id);
                assertEquals(es.get("class_tokens").asText(), s.subset().folder().classTokens(), id);
                assertEquals(es.get("is_reg").asBoolean(), s.subset().folder().isReg(), id);
                assertEquals(es.get("img_count").asInt(), s.imgCount(), id);
                assertEquals(KohyaFixtures.strings(es.get("images")), s.images().stream().map(tree::rel).toList(), id);
                assertEquals(KohyaFixtures.strings(es.get("captions")), s.captions(), id);
            }
            assertEquals(ex.get("num_train_images").asInt(), d.numTrainImages(), id);
            assertEquals(ex.get("num_reg_images").asInt(), d.numRegImages(), id);
            assertEquals(KohyaFixtures.strings(ex.get("warnings")),
                    d.warnings().stream().map(w -> w.replace(tree.root.toString(), "")).toList(), id);
            assertEquals(tagFrequencyOf(ex.get("tag_frequency")), d.tagFrequency(), id);

            JsonNode reg = ex.get("registered");
            assertEquals(reg.size(), d.registered().size(), id);
            for (int i = 0; i < reg.size(); i++) {
                JsonNode r = reg.get(i);
                ImageEntry e = d.registered().get(i);
                assertEquals(r.get("path").asText(), tree.rel(e.path()), id);
                assertEquals(r.get("is_reg").asBoolean(), e.isReg(), id);
                assertEquals(r.get("num_repeats").asInt(), e.numRepeats(), id + " " + e.path());
                assertEquals(r.get("caption").asText(), e.caption(), id);
                assertEquals(r.get("caption_file").isNull() ? null : r.get("caption_file").asText(),
                        e.captionFile() == null ? null : tree.rel(e.captionFile()), id);
                assertEquals(r.get("caption_source").asText().equals("file"), e.captionFile() != null, id);
                assertEquals(KohyaFixtures.size(r.get("size")), e.size(), id);
                List<String> candidates = CaptionFiles.candidates(e.path(), ".caption".equals(
                        t.get("args").get("caption_extension").asText()) ? ".caption"
                        : DreamBoothSubsetExt.of(t.get("args").get("caption_extension").asText()))
                        .stream().map(tree::rel).toList();
                assertEquals(KohyaFixtures.strings(r.get("caption_candidates")), candidates, id);
            }

            JsonNode buckets = ex.get("buckets");
            if (buckets.isNull()) {
                assertTrue(d.registered().isEmpty(), id);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.plan(1, 1, null, null));
                assertTrue(e.getMessage().startsWith(ex.get("steps").get("error").asText()), id);
                continue;
            }
            for (int i = 0; i < buckets.get("assignments").size(); i++) {
                JsonNode a = buckets.get("assignments").get(i);
                BucketAssignment b = d.registered().get(i).bucket();
                assertEquals(KohyaFixtures.size(a.get("bucket")), b.bucket(), id);
                assertEquals(KohyaFixtures.size(a.get("resized")), b.resized(), id);
                assertEquals(KohyaFixtures.size(a.get("crop_left_top")), b.centerCropLeftTop(), id);
                assertEquals(a.get("abs_ar_error").asDouble(), Math.abs(b.arError()), 0.0, id);
            }
            Map<Size, Integer> counts = new LinkedHashMap<>();
            buckets.get("bucket_counts").forEach(c -> counts.put(KohyaFixtures.size(c.get("resolution")), c.get("count").asInt()));
            assertEquals(new ArrayList<>(counts.entrySet()), new ArrayList<>(d.bucketCounts().entrySet()), id);

            JsonNode args = t.get("args");
            TrainingPlan p = d.plan(args.get("train_batch_size").asInt(), args.get("gradient_accumulation_steps").asInt(),
                    KohyaFixtures.intOrNull(args.get("max_train_epochs")), KohyaFixtures.intOrNull(args.get("max_train_steps")));
            JsonNode steps = ex.get("steps");
            assertEquals(steps.get("batches_per_epoch").asInt(), p.batchesPerEpoch(), id);
            assertEquals(steps.get("max_train_steps").asInt(), p.maxTrainSteps(), id);
            assertEquals(steps.get("num_train_epochs").asInt(), p.numTrainEpochs(), id);
        }
    }

    /** caption_extension normalisation as the subset record does it. */
    static final class DreamBoothSubsetExt {
        static String of(String ext) {
            return ext.startsWith(".") ? ext : "." + ext;
        }
    }

    @Test
    void load_brokenImagesEmptyCaptionAndEmptyFolder_reportsEachThenStops() throws IOException {
        Path train = root.resolve("train");
        Files.createDirectories(train.resolve("3_good"));
        Files.createDirectories(train.resolve("2_empty"));
        Path good = train.resolve("3_good/a.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(320, 256, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", good.toFile());
        Files.writeString(train.resolve("3_good/a.txt"), "sks, good");
        Files.write(train.resolve("3_good/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Files.write(train.resolve("3_good/w.webp"), "RIFF0000WEBPVP8 ".getBytes(StandardCharsets.US_ASCII));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", train.resolve("3_good/tiny.png").toFile());
        Files.writeString(train.resolve("3_good/tiny.txt"), "");
        BucketOptions options = BucketOptions.defaults(new Size(512, 512), true);

        DatasetException e = assertThrows(DatasetException.class, () -> DreamBoothDataset.fromFolders(train, null, ".txt",
                CaptionOptions.defaults(), Augmentation.NONE, options, BucketOptions.Script.TRAIN_NETWORK,
                ImageSizeReader.decoding(), BadInputPolicy.STOP));
        Map<String, DatasetProblem.Kind> kinds = new HashMap<>();
        e.problems().forEach(p -> kinds.put(p.file().getFileName().toString(), p.kind()));
        assertEquals(DatasetProblem.Kind.UNREADABLE_IMAGE, kinds.get("broken.png"));
        assertEquals(DatasetProblem.Kind.UNREADABLE_IMAGE, kinds.get("w.webp"));
        assertEquals(DatasetProblem.Kind.BAD_CAPTION_FILE, kinds.get("tiny.png"));
        assertEquals(DatasetProblem.Kind.EMPTY_FOLDER, kinds.get("2_empty"));
        assertTrue(e.getMessage().contains("WebP"), e.getMessage());
        assertTrue(e.getMessage().contains("tiny.txt is empty"), e.getMessage());

        DreamBoothDataset skipped = DreamBoothDataset.fromFolders(train, null, ".txt", CaptionOptions.defaults(),
                Augmentation.NONE, options, BucketOptions.Script.TRAIN_NETWORK, ImageSizeReader.decoding(),
                BadInputPolicy.SKIP);
        assertEquals(1, skipped.registered().size());
        assertEquals(good, skipped.registered().get(0).path());
        assertEquals(3, skipped.numTrainImages());
        assertEquals(e.problems(), skipped.problems());
    }

    @Test
    void load_imageSmallerThanSmallestBucket_reportedButKept() throws IOException {
        Path dir = root.resolve("train/1_small");
        Files.createDirectories(dir);
        Files.write(dir.resolve("s.png"), new byte[0]);
        DreamBoothDataset d = DreamBoothDataset.fromFolders(root.resolve("train"), null, ".txt", CaptionOptions.defaults(),
                Augmentation.NONE, BucketOptions.defaults(new Size(512, 512), true), BucketOptions.Script.TRAIN_NETWORK,
                p -> new Size(100, 120), BadInputPolicy.STOP);
        assertEquals(1, d.registered().size());
        assertTrue(d.problems().stream().anyMatch(p -> p.kind() == DatasetProblem.Kind.SMALLER_THAN_SMALLEST_BUCKET
                && p.detail().contains("min_bucket_reso 256")), d.problems().toString());
        assertNull(d.registered().get(0).captionFile());
    }
}
