package dev.bakehouse.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetMetadataTest {
    @TempDir
    Path root;

    @Test
    void trainDataDirForm_fixtureTrees_byteExactSsStrings() throws IOException {
        JsonNode trees = KohyaFixtures.read("folders.json").get("trees");
        int checked = 0;
        for (JsonNode m : KohyaFixtures.read("metadata.json").get("trees")) {
            if (!m.has("ss")) {
                continue;
            }
            JsonNode t = null;
            for (JsonNode candidate : trees) {
                if (candidate.get("id").asText().equals(m.get("tree").asText())) {
                    t = candidate;
                }
            }
            DreamBoothDatasetTest.Tree tree = new DreamBoothDatasetTest.Tree(root.resolve(m.get("tree").asText()
                    .replace("_", "")), t.get("entries"));
            JsonNode args = t.get("args");
            DreamBoothDataset d = DreamBoothDatasetTest.load(tree, args);
            TrainingPlan plan = d.plan(args.get("train_batch_size").asInt(), args.get("gradient_accumulation_steps").asInt(),
                    KohyaFixtures.intOrNull(args.get("max_train_epochs")), KohyaFixtures.intOrNull(args.get("max_train_steps")));
            CaptionOptions captions = new CaptionOptions(args.path("shuffle_caption").asBoolean(false), ",",
                    args.path("keep_tokens").asInt(0), "", null, false, null, null, 0, 0, 0, 1, 0);
            Map<String, String> ss = DatasetMetadata.trainDataDirForm(d, plan, captions, Augmentation.NONE);
            Map<String, String> expected = new LinkedHashMap<>();
            m.get("ss").fields().forEachRemaining(f -> expected.put(f.getKey(), f.getValue().asText()));
            assertEquals(expected, ss, m.get("tree").asText());
            List<Double> errors = new ArrayList<>();
            d.registered().forEach(r -> errors.add(Math.abs(r.bucket().arError())));
            List<Double> expectedErrors = new ArrayList<>();
            m.get("ar_errors_in_order").forEach(n -> expectedErrors.add(n.asDouble()));
            assertEquals(expectedErrors, errors);
            Map<String, String> configForm = DatasetMetadata.datasetConfigForm(List.of(d),
                    List.of(args.get("train_batch_size").asInt()));
            if (m.has("ss_datasets_if_dataset_config") && !m.get("ss_datasets_if_dataset_config").isNull()) {
                assertEquals(m.get("ss_datasets_if_dataset_config").asText(), configForm.get("ss_datasets"),
                        m.get("tree").asText());
            }
            assertEquals(expected.get("ss_tag_frequency"), configForm.get("ss_tag_frequency"));
            checked++;
        }
        assertEquals(3, checked);
    }

    @Test
    void tagFrequency_examples_matchJsonDumps() {
        for (JsonNode ex : KohyaFixtures.read("metadata.json").get("tag_frequency_examples")) {
            Map<String, Map<String, Integer>> freq = new LinkedHashMap<>();
            TagFrequency.add(freq, ex.get("dir").asText(), KohyaFixtures.strings(ex.get("captions")));
            assertEquals(ex.get("json").asText(), PythonJson.dumps(freq));
        }
    }

    @Test
    void bucketInfoMean_examples_pairwiseMeanAndPythonRepr() {
        for (JsonNode ex : KohyaFixtures.read("metadata.json").get("bucket_info_mean_examples")) {
            List<Double> errors = new ArrayList<>();
            ex.get("ar_errors").forEach(n -> errors.add(n.asDouble()));
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("buckets", Collections.emptyMap());
            info.put("mean_img_ar_error", DatasetMetadata.meanArError(errors));
            assertEquals(ex.get("json").asText(), PythonJson.dumps(info), ex.get("id").asText());
        }
    }

    @Test
    void datasetConfigDirs_repeatedFolder_renamedWithCounter() {
        JsonNode ex = KohyaFixtures.read("metadata.json").get("dataset_config_dirs_example");
        List<List<DreamBoothDataset.LoadedSubset>> datasets = new ArrayList<>();
        for (JsonNode ds : ex.get("datasets")) {
            List<DreamBoothDataset.LoadedSubset> subsets = new ArrayList<>();
            for (JsonNode s : ds) {
                SubsetFolder f = new SubsetFolder(Path.of("/d", s.get("image_dir").asText()), s.get("num_repeats").asInt(),
                        "", s.get("is_reg").asBoolean());
                List<Path> images = Collections.nCopies(s.get("img_count").asInt(), Path.of("/d/x.png"));
                subsets.add(new DreamBoothDataset.LoadedSubset(DreamBoothSubset.of(f, ".txt", CaptionOptions.defaults()),
                        images, Collections.nCopies(images.size(), "")));
            }
            datasets.add(subsets);
        }
        assertEquals(ex.get("ss_dataset_dirs").asText(), DatasetMetadata.datasetConfigDirs(datasets));
    }

    @Test
    void floatRepr_matchesPythonRepr() {
        assertEquals("0.0", PythonJson.floatRepr(0.0));
        assertEquals("0.1", PythonJson.floatRepr(0.1));
        assertEquals("0.0001", PythonJson.floatRepr(1e-4));
        assertEquals("1e-05", PythonJson.floatRepr(1e-5));
        assertEquals("5e-05", PythonJson.floatRepr(5e-5));
        assertEquals("1.5e-07", PythonJson.floatRepr(1.5e-7));
        assertEquals("1e+16", PythonJson.floatRepr(1e16));
        assertEquals("1234567890123456.0", PythonJson.floatRepr(1234567890123456.0));
        assertEquals("2e-23", PythonJson.floatRepr(2e-23));
        assertEquals("0.30000000000000004", PythonJson.floatRepr(0.1 + 0.2));
        assertEquals("-2.5", PythonJson.floatRepr(-2.5));
        assertEquals("100.0", PythonJson.floatRepr(100.0));
    }
}
