package dev.bakehouse.server.exec;

import static dev.bakehouse.server.exec.PromptValidatorTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.BasicNodes;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.image.PngFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole path with the real basic nodes: validate, execute, files on disk, cache replay. */
class BasicNodesExecutionTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void loadThenSave_writesThePngWithTheCoercedPromptAndReplaysWhenCached() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        BufferedImage source = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        source.setRGB(1, 1, 0x123456);
        ImageIO.write(source, "png", dirs.input().resolve("in.png").toFile());
        NodeRegistry registry = NodeRegistry.of(BasicNodes.all(dirs, new Random(3)));
        String prompt = """
                {"1": {"class_type": "LoadImage", "inputs": {"image": "in.png"}},
                 "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0], "filename_prefix": 7}},
                 "3": {"class_type": "PreviewImage", "inputs": {"images": [1, 0]}}}""";
        Validation.Accepted accepted = assertInstanceOf(Validation.Accepted.class,
                new PromptValidator(registry).validate(json(prompt), null));
        ObjectNode extra = (ObjectNode) json("{\"extra_pnginfo\": {\"workflow\": {\"nodes\": []}}}");
        PromptExecutor executor = new PromptExecutor(registry, dirs, new OutputCache());

        Outcome first = executor.execute("p", accepted.prompt(), extra, accepted.outputs(),
                ExecutionListener.NONE, new InterruptFlag());

        assertInstanceOf(Outcome.Success.class, first);
        assertEquals("{\"images\":[{\"filename\":\"7_00001_.png\",\"subfolder\":\"\",\"type\":\"output\"}]}",
                first.uiOutputs().get("2").toString());
        Path saved = dirs.output().resolve("7_00001_.png");
        assertEquals(0x123456, ImageIO.read(saved.toFile()).getRGB(1, 1) & 0xffffff);
        Map<String, String> text = PngFiles.readText(saved);
        assertEquals(accepted.prompt(), MAPPER.readTree(text.get("prompt")));
        assertEquals("\"7\"", MAPPER.readTree(text.get("prompt")).at("/2/inputs/filename_prefix").toString());
        assertEquals(json("{\"nodes\": []}"), MAPPER.readTree(text.get("workflow")));
        String preview = first.uiOutputs().get("3").at("/images/0/filename").asText();
        assertEquals("temp", first.uiOutputs().get("3").at("/images/0/type").asText());

        RecordingListener listener = new RecordingListener();
        Outcome second = executor.execute("q", accepted.prompt(), extra, accepted.outputs(),
                listener, new InterruptFlag());

        assertEquals(first.uiOutputs(), second.uiOutputs());
        assertEquals(List.of(), listener.started());
        try (var files = Files.list(dirs.output())) {
            assertEquals(1, files.count());
        }
        assertEquals(preview, second.uiOutputs().get("3").at("/images/0/filename").asText());
    }

    @Test
    void replacedInputFile_rerunsTheLoaderAndSavesANewFile() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        Path input = dirs.input().resolve("in.png");
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", input.toFile());
        NodeRegistry registry = NodeRegistry.of(BasicNodes.all(dirs));
        Validation.Accepted accepted = assertInstanceOf(Validation.Accepted.class,
                new PromptValidator(registry).validate(json("""
                        {"1": {"class_type": "LoadImage", "inputs": {"image": "in.png"}},
                         "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0], "filename_prefix": "x"}}}"""),
                        null));
        PromptExecutor executor = new PromptExecutor(registry, dirs, new OutputCache());
        executor.execute("p", accepted.prompt(), null, accepted.outputs(), ExecutionListener.NONE, new InterruptFlag());

        BufferedImage white = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        white.setRGB(0, 0, 0xffffff);
        ImageIO.write(white, "png", input.toFile());
        Outcome second = executor.execute("q", accepted.prompt(), null, accepted.outputs(),
                ExecutionListener.NONE, new InterruptFlag());

        assertEquals("x_00002_.png", second.uiOutputs().get("2").at("/images/0/filename").asText());
    }

    @Test
    void loadImage_pathEscape_isRefusedAtValidation() throws Exception {
        DataDirs dirs = DataDirs.of(tmp.resolve("data"));
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", tmp.resolve("secret.png").toFile());
        NodeRegistry registry = NodeRegistry.of(BasicNodes.all(dirs));
        Validation result = new PromptValidator(registry).validate(json("""
                {"1": {"class_type": "LoadImage", "inputs": {"image": "../../secret.png"}},
                 "2": {"class_type": "PreviewImage", "inputs": {"images": ["1", 0]}}}"""), null);
        Validation.Rejected rejected = assertInstanceOf(Validation.Rejected.class, result);
        assertEquals("custom_validation_failed", rejected.body().at("/node_errors/1/errors/0/type").asText());
        assertEquals("image", rejected.body().at("/node_errors/1/errors/0/extra_info/input_name").asText());
    }
}
