package dev.bakehouse.workflows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.AllNodes;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.image.PngFiles;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelSettings;
import dev.bakehouse.server.cli.BakehouseCommand;
import dev.bakehouse.server.exec.ExecutionListener;
import dev.bakehouse.server.exec.InterruptFlag;
import dev.bakehouse.server.exec.Outcome;
import dev.bakehouse.server.exec.OutputCache;
import dev.bakehouse.server.exec.PromptExecutor;
import dev.bakehouse.server.exec.PromptValidator;
import dev.bakehouse.server.exec.Validation;
import dev.bakehouse.testing.TinyDataDir;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the shipped {@code workflows/text-to-image.json} (ComfyUI class names; made for the toy model) on the tiny fixture
 * checkpoint through the real {@code bakehouse run} entry point: an 8x8 latent, 3 steps.
 */
class TextToImageWorkflowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @TempDir
    Path work;

    @BeforeEach
    void dataDirWithTheTinyModel() {
        TinyDataDir.populate(data);
    }

    @Test
    void run_textToImage_writesA64PixelPngWithThePrompt_sameSeedSameBytes_otherSeedOtherImage() throws IOException {
        ObjectNode prompt = shippedWorkflow();

        Path first = runCli(prompt);
        Path again = runCli(prompt);
        Path otherSeed = runCli(withSeed(prompt, 43));

        BufferedImage image = ImageIO.read(first.toFile());
        assertEquals(64, image.getWidth());
        assertEquals(64, image.getHeight());
        int[] pixels = pixels(first);
        assertTrue(Arrays.stream(pixels).distinct().count() > 100, "the image is (nearly) constant");
        Map<String, String> text = PngFiles.readText(first);
        assertEquals("CheckpointLoaderSimple", JSON.readTree(text.get("prompt")).at("/4/class_type").asText());
        assertEquals(42, JSON.readTree(text.get("prompt")).at("/3/inputs/seed").asInt());

        assertFalse(first.equals(again));
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(again));
        assertFalse(Arrays.equals(pixels, pixels(otherSeed)), "seed 43 gave the image of seed 42");
    }

    /**
     * LoRA prompts between plain ones, on one registry and model cache as a server runs them: the
     * LoRA at strength 0 is the base image exactly, at strength 1 it differs, and the shared model
     * is unchanged afterwards.
     */
    @Test
    void loraLoader_strengthZeroIsTheBaseImage_strengthOneDiffers_sharedModelUnchangedAfter() throws Exception {
        DataDirs dirs = DataDirs.of(data);
        try (ModelCache models = new ModelCache(ComputeDevice.CPU, 2)) {
            NodeRegistry registry = NodeRegistry.of(AllNodes.all(dirs,
                    ModelSettings.of(ComputeDevice.CPU, null), models));
            ObjectNode prompt = shippedWorkflow();

            int[] before = pixels(execute(registry, dirs, prompt));
            int[] zero = pixels(execute(registry, dirs, withLora(prompt, 0.0)));
            int[] full = pixels(execute(registry, dirs, withLora(prompt, 1.0)));
            int[] after = pixels(execute(registry, dirs, prompt));

            assertArrayEquals(before, zero);
            assertFalse(Arrays.equals(before, full), "a LoRA at strength 1 changed nothing");
            assertArrayEquals(before, after, "the LoRA prompt left the shared model changed");
            assertEquals(1, models.checkpointLoads(), "the checkpoint should be loaded once and shared");
        }
    }

    /** The shipped workflow (written for the toy model) on the tiny fixture model: 64 px, 3 steps. */
    private static ObjectNode shippedWorkflow() throws IOException {
        try (InputStream in = TextToImageWorkflowTest.class.getResourceAsStream("/workflows/text-to-image.json")) {
            ObjectNode prompt = (ObjectNode) JSON.readTree(in);
            ((ObjectNode) prompt.at("/4/inputs")).put("ckpt_name", TinyDataDir.CHECKPOINT);
            ((ObjectNode) prompt.at("/5/inputs")).put("width", 64).put("height", 64);
            ((ObjectNode) prompt.at("/3/inputs")).put("steps", 3);
            return prompt;
        }
    }

    private static ObjectNode withSeed(ObjectNode prompt, long seed) {
        ObjectNode copy = prompt.deepCopy();
        ((ObjectNode) copy.at("/3/inputs")).put("seed", seed);
        return copy;
    }

    /** The workflow with a LoraLoader between the checkpoint and the sampler and text encoders. */
    private static ObjectNode withLora(ObjectNode prompt, double strength) {
        ObjectNode copy = prompt.deepCopy();
        ObjectNode loader = copy.putObject("10");
        loader.put("class_type", "LoraLoader");
        ObjectNode inputs = loader.putObject("inputs");
        inputs.putArray("model").add("4").add(0);
        inputs.putArray("clip").add("4").add(1);
        inputs.put("lora_name", "lora.safetensors");
        inputs.put("strength_model", strength);
        inputs.put("strength_clip", strength);
        ((ObjectNode) copy.at("/3/inputs")).putArray("model").add("10").add(0);
        for (String encoder : new String[] {"6", "7"}) {
            ((ObjectNode) copy.at("/" + encoder + "/inputs")).putArray("clip").add("10").add(1);
        }
        return copy;
    }

    /** {@code bakehouse run --data-dir DATA WORKFLOW}; returns the PNG it wrote. */
    private Path runCli(ObjectNode prompt) throws IOException {
        Path workflow = Files.createTempFile(work, "workflow", ".json");
        Files.writeString(workflow, prompt.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new BakehouseCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("run", "--data-dir", data.toString(), workflow.toString());
        assertEquals(0, code, "bakehouse run failed:\n" + err);
        String written = out.toString().strip();
        assertTrue(written.startsWith("output/") && written.endsWith(".png"), "stdout: " + written);
        Path png = data.resolve(written);
        assertTrue(Files.isRegularFile(png), png + " missing");
        return png;
    }

    private static Path execute(NodeRegistry registry, DataDirs dirs, ObjectNode prompt) {
        Validation.Accepted accepted = assertInstanceOf(Validation.Accepted.class,
                new PromptValidator(registry).validate(prompt, null));
        // A fresh output cache: every node runs again, only the model cache is shared.
        Outcome outcome = new PromptExecutor(registry, dirs, new OutputCache()).execute("p", accepted.prompt(),
                JSON.createObjectNode(), accepted.outputs(), ExecutionListener.NONE, new InterruptFlag());
        Outcome.Success success = assertInstanceOf(Outcome.Success.class, outcome, outcome.toString());
        return dirs.output().resolve(success.uiOutputs().get("9").at("/images/0/filename").asText());
    }

    private static int[] pixels(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
