package dev.bakehouse.workflows;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.AllNodes;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelSettings;
import dev.bakehouse.server.exec.ExecutionListener;
import dev.bakehouse.server.exec.InterruptFlag;
import dev.bakehouse.server.exec.Outcome;
import dev.bakehouse.server.exec.OutputCache;
import dev.bakehouse.server.exec.PromptExecutor;
import dev.bakehouse.server.exec.PromptValidator;
import dev.bakehouse.server.exec.Validation;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A shipped workflow run through the real validator and executor on the tiny fixture model. */
final class ShippedWorkflow {
    static final ObjectMapper JSON = new ObjectMapper();

    private ShippedWorkflow() {}

    /** {@code workflows/<name>} from the module's resources. */
    static ObjectNode load(String name) throws IOException {
        try (InputStream in = ShippedWorkflow.class.getResourceAsStream("/workflows/" + name)) {
            if (in == null) {
                throw new IOException("no shipped workflow " + name);
            }
            return (ObjectNode) JSON.readTree(in);
        }
    }

    /** Validates and runs {@code prompt}; asserts it succeeded and returns its UI outputs. */
    static Outcome.Success run(DataDirs dirs, ObjectNode prompt) {
        try (ModelCache models = new ModelCache(ComputeDevice.CPU, 1)) {
            NodeRegistry registry = NodeRegistry.of(AllNodes.all(dirs, ModelSettings.of(ComputeDevice.CPU, null), models));
            Validation.Accepted accepted = assertInstanceOf(Validation.Accepted.class,
                    new PromptValidator(registry).validate(prompt, null));
            Outcome outcome = new PromptExecutor(registry, dirs, new OutputCache()).execute("p", accepted.prompt(),
                    JSON.createObjectNode(), accepted.outputs(), ExecutionListener.NONE, new InterruptFlag());
            return assertInstanceOf(Outcome.Success.class, outcome, outcome.toString());
        }
    }

    /** The output file a UI entry ({filename, subfolder, type: output}) names. */
    static Path file(DataDirs dirs, JsonNode entry) {
        return dirs.output().resolve(entry.get("subfolder").asText()).resolve(entry.get("filename").asText());
    }

    /** The RGB pixels of a saved image. */
    static int[] pixels(Path png) {
        try {
            BufferedImage image = ImageIO.read(png.toFile());
            return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
