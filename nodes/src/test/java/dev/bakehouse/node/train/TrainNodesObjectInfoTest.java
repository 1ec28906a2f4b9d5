package dev.bakehouse.node.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.GoldenFiles;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.ObjectInfo;
import dev.bakehouse.node.sd.ModelCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freezes {@code /object_info} of LoadDataset and TrainLoRA (kohya's option names, ranges,
 * defaults, the LORA list output). {@code -Dbakehouse.updateGolden=<path>} writes a new one for review.
 */
class TrainNodesObjectInfoTest {
    @TempDir
    Path tmp;

    @Test
    void trainNodes_matchTheGoldenFileExactly() throws IOException {
        DataDirs dirs = DataDirs.of(tmp);
        Files.createDirectories(dirs.datasets().resolve("kiki/10_kiki"));
        Files.createDirectories(dirs.datasets().resolve("style"));
        ObjectNode info;
        try (ModelCache cache = new ModelCache(ComputeDevice.CPU, 1)) {
            info = new ObjectInfo(NodeRegistry.of(TrainNodes.all(dirs, cache))).all();
        }
        GoldenFiles.assertMatches("/object_info/train_nodes.json", info);
    }

    @Test
    void trainLoraSeed_declaresNoControlAfterGenerate_soQueueingAgainDoesNotRetrain() {
        DataDirs dirs = DataDirs.of(tmp);
        ObjectNode info;
        try (ModelCache cache = new ModelCache(ComputeDevice.CPU, 1)) {
            info = new ObjectInfo(NodeRegistry.of(TrainNodes.all(dirs, cache))).all();
        }
        var seedOptions = info.path("TrainLoRA").path("input").path("required").path("seed").path(1);
        assertTrue(seedOptions.has("control_after_generate"), seedOptions.toString());
        assertFalse(seedOptions.path("control_after_generate").asBoolean(true));
    }
}
