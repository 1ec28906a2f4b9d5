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
import dev.bakehouse.testing.TinyDataDir;
import dev.bakehouse.testing.TinyDataset;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shipped {@code workflows/train-then-test.json} through the real validator and executor
 * on the tiny model: LoadDataset, TrainLoRA (two epochs, each saved), SampleGrid over the saved
 * epochs x strength, and the loss chart saved.
 */
class TrainThenTestWorkflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void trainThenTest_gridsEverySavedEpochByStrength() throws Exception {
        TinyDataDir.populate(data);
        TinyDataset.write(data.resolve("datasets/kiki"), "1_kiki", 4);
        DataDirs dirs = DataDirs.of(data);
        ObjectNode prompt;
        try (InputStream in = getClass().getResourceAsStream("/workflows/train-then-test.json")) {
            prompt = (ObjectNode) JSON.readTree(in);
        }
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
            assertEquals(4, info.get("cells").size());
            assertEquals("kiki/kiki-000001.safetensors", info.at("/cells/0/lora").asText());
            assertEquals("kiki/kiki.safetensors", info.at("/cells/1/lora").asText());
            assertEquals(1.0, info.at("/cells/3/strength_model").asDouble());

            JsonNode chart = success.uiOutputs().get("12").at("/images/0");
            Path chartFile = dirs.output().resolve(chart.get("subfolder").asText()).resolve(chart.get("filename").asText());
            assertTrue(ImageIO.read(chartFile.toFile()).getWidth() > 100, "the loss chart was saved");
            assertTrue(Files.isRegularFile(dirs.models(DataDirs.LORAS).resolve("kiki/kiki.csv")), "the training log");
        }
    }
}
