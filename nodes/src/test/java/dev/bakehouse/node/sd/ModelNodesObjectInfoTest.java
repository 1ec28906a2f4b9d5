package dev.bakehouse.node.sd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.GoldenFiles;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.ObjectInfo;
import java.io.IOException;
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
        GoldenFiles.assertMatches("/object_info/model_nodes.json", info);
    }
}
