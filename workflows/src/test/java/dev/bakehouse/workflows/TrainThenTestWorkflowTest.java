package dev.bakehouse.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.AllNodes;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.image.PngFiles;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelSettings;
import dev.bakehouse.server.exec.ExecutionListener;
import dev.bakehouse.server.exec.InterruptFlag;
import dev.bakehouse.server.exec.Outcome;
import dev.bakehouse.server.exec.OutputCache;
import dev.bakehouse.server.exec.PromptExecutor;
import dev.bakehouse.server.exec.PromptValidator;
import dev.bakehouse.server.exec.Validation;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shipped {@code workflows/train-then-test.json} — the README's headless run — through the
 * real validator and executor on the embedded toy model with an empty data dir: ToyWorldDataset
 * writes 20 images of kiki, TrainLoRA trains and saves each epoch, SampleGrid draws the saved epochs
 * x strength 0/0.5/1 and ToyWorldScore reads each cell back. Two epochs instead of the shipped
 * twelve keep the test short; what it proves is the wiring, the files and the report.
 */
class TrainThenTestWorkflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void trainThenTest_onTheToyModel_gridsSavedEpochsByStrength_andScoresEachCell() throws Exception {
        DataDirs dirs = DataDirs.of(data);
        ObjectNode prompt;
        try (InputStream in = getClass().getResourceAsStream("/workflows/train-then-test.json")) {
            prompt = (ObjectNode) JSON.readTree(in);
        }
        assertEquals("toy-sd1.safetensors", prompt.at("/4/inputs/ckpt_name").asText(), "the README's run uses the toy model");
        ObjectNode train = (ObjectNode) prompt.at("/21/inputs");
        train.put("max_train_epochs", 2).put("save_every_n_epochs", 1);
        try (ModelCache models = new ModelCache(ComputeDevice.CPU, 1)) {
            NodeRegistry registry = NodeRegistry.of(AllNodes.all(dirs, ModelSettings.of(ComputeDevice.CPU, null), models));
            Validation.Accepted accepted = assertInstanceOf(Validation.Accepted.class,
                    new PromptValidator(registry).validate(prompt, null));
            Outcome outcome = new PromptExecutor(registry, dirs, new OutputCache()).execute("p", accepted.prompt(),
                    JSON.createObjectNode(), accepted.outputs(), ExecutionListener.NONE, new InterruptFlag());
            Outcome.Success success = assertInstanceOf(Outcome.Success.class, outcome, outcome.toString());

            JsonNode saved = success.uiOutputs().get("11").at("/images/0");
            Path grid = dirs.output().resolve("grids").resolve(saved.get("filename").asText());
            Map<String, String> text = PngFiles.readText(grid);
            JsonNode info = JSON.readTree(text.get("bakehouse_grid"));
            assertEquals(6, info.get("cells").size(), "2 saved epochs x 3 strengths");
            assertEquals("kiki/kiki-000001.safetensors", info.at("/cells/0/lora").asText());
            assertEquals("kiki/kiki.safetensors", info.at("/cells/1/lora").asText());
            assertEquals(0.0, info.at("/cells/0/strength_model").asDouble());
            assertEquals(1.0, info.at("/cells/5/strength_model").asDouble());
            assertTrue(Files.isRegularFile(dirs.datasets().resolve("toy-kiki-20x5-s1/5_kiki/img_0020.png")),
                    "ToyWorldDataset wrote the 20 images");

            JsonNode chart = success.uiOutputs().get("12").at("/images/0");
            Path chartFile = dirs.output().resolve(chart.get("subfolder").asText()).resolve(chart.get("filename").asText());
            assertTrue(ImageIO.read(chartFile.toFile()).getWidth() > 100, "the loss chart was saved");
            assertTrue(Files.isRegularFile(dirs.models(DataDirs.LORAS).resolve("kiki/kiki.csv")), "the training log");

            String report = success.uiOutputs().get("13").at("/text/0").asText();
            System.out.println(report);
            List<String> lines = report.lines().toList();
            assertEquals(7, lines.size(), report);
            assertTrue(lines.get(0).startsWith("kiki/kiki-000001.safetensors @ 0.00: kiki no"),
                    "strength 0 is the base model, which never saw kiki:\n" + report);
            assertTrue(lines.get(5).startsWith("kiki/kiki.safetensors @ 1.00: kiki "), report);
            assertTrue(lines.get(6).startsWith("6 images: kiki in "), report);
        }
    }
}
