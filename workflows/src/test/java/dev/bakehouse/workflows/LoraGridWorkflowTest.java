package dev.bakehouse.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shipped {@code workflows/lora-grid.json} through the real validator and executor:
 * SampleGrid is a list node (INPUT_IS_LIST), so its widgets arrive as one-value lists and the
 * LORA from LoadLoRA as a list of one.
 */
class LoraGridWorkflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void loraGrid_strengthBySeed_savesTheGridWithItsSettings() throws Exception {
        TinyDataDir.populate(data);
        DataDirs dirs = DataDirs.of(data);
        ObjectNode prompt;
        try (InputStream in = getClass().getResourceAsStream("/workflows/lora-grid.json")) {
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
            assertEquals("grids", saved.get("subfolder").asText());
            Path png = dirs.output().resolve("grids").resolve(saved.get("filename").asText());
            Map<String, String> text = PngFiles.readText(png);
            assertEquals("SampleGrid", JSON.readTree(text.get("prompt")).at("/11/class_type").asText());
            JsonNode grid = JSON.readTree(text.get("bakehouse_grid"));
            assertEquals("[\"0\",\"0.5\",\"1\"]", grid.at("/axes/0/values").toString());
            assertEquals("[\"42\",\"43\"]", grid.at("/axes/1/values").toString());
            assertEquals(6, grid.get("cells").size());
            assertEquals("lora.safetensors", grid.at("/cells/5/lora").asText());
            assertEquals(43, grid.at("/cells/5/seed").asInt());
        }
    }
}
