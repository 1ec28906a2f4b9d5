package dev.bakehouse.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.io.FileHashes;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.AllNodes;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.gachamax.CandidateRecord;
import dev.bakehouse.node.gachamax.DatasetVersionRecord;
import dev.bakehouse.node.gachamax.LoraLineage;
import dev.bakehouse.node.gachamax.RoundRecord;
import dev.bakehouse.node.gachamax.RoundStatus;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelSettings;
import dev.bakehouse.server.exec.ExecutionListener;
import dev.bakehouse.server.exec.InterruptFlag;
import dev.bakehouse.server.exec.Outcome;
import dev.bakehouse.server.exec.OutputCache;
import dev.bakehouse.server.exec.PromptExecutor;
import dev.bakehouse.server.exec.PromptValidator;
import dev.bakehouse.server.exec.Validation;
import dev.bakehouse.server.store.SqliteDatabase;
import dev.bakehouse.server.store.SqliteGachamaxStore;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.TinyDataDir;
import dev.bakehouse.testing.TinyDataset;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shipped {@code workflows/gachamax.json} for two rounds with the auto picker on the
 * tiny model and a one-image dataset, closing the database, model cache and registry between the
 * rounds as a server restart does: the second run continues the loop from the database.
 */
class GachamaxWorkflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOOP = "kiki";

    @TempDir
    Path data;

    @Test
    void gachamax_twoAutoRoundsAcrossRestart_growsDatasetCountsStepsAndRecordsLineage() throws Exception {
        TinyDataDir.populate(data);
        Path source = TinyDataset.write(data.resolve("datasets/one"), "1_kiki", 1);
        List<String> sourceFiles = files(source);
        ObjectNode prompt = tinyPrompt();

        run(prompt);
        run(prompt); // a fresh database connection, cache and registry: a restart between rounds

        DataDirs dirs = DataDirs.of(data);
        try (SqliteDatabase database = SqliteDatabase.open(data.resolve("bakehouse.db"))) {
            SqliteGachamaxStore store = new SqliteGachamaxStore(database);
            List<RoundRecord> rounds = store.rounds(LOOP);
            assertEquals(List.of(1, 2), rounds.stream().map(RoundRecord::round).toList());
            RoundRecord first = rounds.get(0);
            RoundRecord second = rounds.get(1);
            assertTrue(rounds.stream().allMatch(r -> r.status() == RoundStatus.PICKED), rounds.toString());
            // 1 image x 1 repeat x 2 epochs, then 3 images x 2 epochs, batch 1
            assertEquals(2, first.steps());
            assertEquals(6, second.steps());
            assertEquals(8, second.totalSteps());
            assertNull(first.parentHash());
            assertEquals(first.loraHash(), second.parentHash());

            DatasetVersionRecord v1 = store.datasetVersion(LOOP, 1).orElseThrow();
            DatasetVersionRecord v2 = store.datasetVersion(LOOP, 2).orElseThrow();
            assertEquals(List.of("1_kiki/img_00.png"), v1.images());
            List<CandidateRecord> picked = store.candidates(LOOP, 1).stream().filter(CandidateRecord::picked).toList();
            assertEquals(2, picked.size());
            assertEquals(List.of("1_kiki/gachamax-r1-c" + String.format("%02d", picked.get(0).index()) + ".png",
                    "1_kiki/gachamax-r1-c" + String.format("%02d", picked.get(1).index()) + ".png"), v2.added());
            assertEquals(3, v2.images().size());
            for (CandidateRecord pick : picked) {
                Path image = Path.of(v2.folder()).resolve(String.format("1_kiki/gachamax-r1-c%02d.png", pick.index()));
                assertEquals(pick.sha256(), FileHashes.sha256(image), "the picked file joined unchanged");
                assertEquals(pick.prompt(), Files.readString(image.resolveSibling(
                        String.format("gachamax-r1-c%02d.txt", pick.index()))), "its prompt is its caption");
            }
            double worstPicked = picked.stream().mapToDouble(CandidateRecord::score).min().orElseThrow();
            assertTrue(store.candidates(LOOP, 1).stream().filter(c -> !c.picked()).allMatch(c -> c.score() <= worstPicked),
                    "the auto picker keeps the best-scored candidates");

            LoraLineage lineage1 = lineage(dirs, first);
            LoraLineage lineage2 = lineage(dirs, second);
            assertEquals(new LoraLineage(LOOP, 1, null, 1, List.of(), List.of()), lineage1);
            assertEquals(new LoraLineage(LOOP, 2, first.loraHash(), 2,
                    picked.stream().map(CandidateRecord::sha256).toList(),
                    picked.stream().map(CandidateRecord::seed).toList()), lineage2);

            int gridWidth1 = ImageIO.read(dirs.output().resolve("gachamax/kiki/r1/probe.png").toFile()).getWidth();
            int gridWidth2 = ImageIO.read(dirs.output().resolve("gachamax/kiki/r2/probe.png").toFile()).getWidth();
            assertTrue(gridWidth2 > gridWidth1, "round 2's probe grid adds round 1 as a column: " + gridWidth1 + " vs "
                    + gridWidth2);
            assertTrue(second.scores().closeness() > 0 && second.scores().closeness() <= 1, second.scores().toString());
            assertEquals(second.scores().closeness() - second.scores().promptFollowing(), second.scores().overfit(), 1e-12);
        }
        assertEquals(sourceFiles, files(source), "the user's dataset is never edited");
    }

    private void run(ObjectNode prompt) throws Exception {
        DataDirs dirs = DataDirs.of(data);
        try (ModelCache models = new ModelCache(ComputeDevice.CPU, 1);
             SqliteDatabase database = SqliteDatabase.open(data.resolve("bakehouse.db"))) {
            NodeRegistry registry = NodeRegistry.of(AllNodes.all(dirs, ModelSettings.of(ComputeDevice.CPU, null), models,
                    new SqliteGachamaxStore(database)));
            Validation.Accepted accepted = assertInstanceOf(Validation.Accepted.class,
                    new PromptValidator(registry).validate(prompt, null));
            Outcome outcome = new PromptExecutor(registry, dirs, new OutputCache()).execute("p", accepted.prompt(),
                    JSON.createObjectNode(), accepted.outputs(), ExecutionListener.NONE, new InterruptFlag());
            assertInstanceOf(Outcome.Success.class, outcome, outcome.toString());
        }
    }

    /** The shipped workflow on the tiny model: a one-image dataset of 64 px, few steps and candidates. */
    private ObjectNode tinyPrompt() throws Exception {
        ObjectNode prompt;
        try (InputStream in = getClass().getResourceAsStream("/workflows/gachamax.json")) {
            prompt = (ObjectNode) JSON.readTree(in);
        }
        ((ObjectNode) prompt.at("/1/inputs")).put("ckpt_name", TinyDataDir.CHECKPOINT);
        ObjectNode dataset = (ObjectNode) prompt.get("2");
        dataset.put("class_type", "LoadDataset");
        dataset.set("inputs", JSON.valueToTree(Map.of("dataset", "one", "caption_extension", ".txt", "resolution", "64",
                "enable_bucket", false)));
        ObjectNode round = (ObjectNode) prompt.at("/3/inputs");
        round.put("candidates", 3).put("picks", 2).put("steps", 2).put("max_train_epochs", 2).put("network_dim", 4)
                .put("network_alpha", 2.0).put("learning_rate", 1e-3);
        return prompt;
    }

    private static LoraLineage lineage(DataDirs dirs, RoundRecord round) throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(dirs.models(DataDirs.LORAS).resolve(round.loraFile()))) {
            assertEquals(round.loraHash(), file.metadata().get("sshs_model_hash"));
            return LoraLineage.of(file.metadata()).orElseThrow();
        }
    }

    private static List<String> files(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p) + ":" + p.toFile().lastModified()).sorted()
                    .toList();
        }
    }
}
