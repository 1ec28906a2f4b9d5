package dev.bakehouse.node.sd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.ObjectInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freezes {@code /object_info} of the model nodes (ComfyUI's names, input order, ranges and
 * options), text and key order included. {@code -Dbakehouse.updateGolden=<path>} writes a new
 * one for review.
 */
class ModelNodesObjectInfoTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @TempDir
    Path tmp;

    @Test
    void modelNodes_matchTheGoldenFileExactly() throws IOException {
        DataDirs dirs = DataDirs.of(tmp);
        Files.writeString(dirs.models(DataDirs.CHECKPOINTS).resolve("sd15.safetensors"), "x");
        Files.createDirectories(dirs.models(DataDirs.CHECKPOINTS).resolve("anime"));
        Files.writeString(dirs.models(DataDirs.CHECKPOINTS).resolve("anime/model.ckpt"), "x");
        Files.writeString(dirs.models(DataDirs.LORAS).resolve("style.safetensors"), "x");
        ModelSettings settings = new ModelSettings(ComputeDevice.CPU, null, Map.of(), tmp, 1);
        ObjectNode info;
        try (ModelCache cache = new ModelCache(ComputeDevice.CPU, 1)) {
            info = new ObjectInfo(NodeRegistry.of(ModelNodes.all(dirs, settings, cache))).all();
        }
        String actual = JSON.writeValueAsString(info) + "\n";

        String update = System.getProperty("bakehouse.updateGolden");
        if (update != null) {
            Files.writeString(Path.of(update), actual);
        }
        assertEquals(golden("/object_info/model_nodes.json"), actual);
    }

    private static String golden(String resource) throws IOException {
        try (InputStream in = ModelNodesObjectInfoTest.class.getResourceAsStream(resource)) {
            return in == null ? "(no golden file " + resource + ")" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
