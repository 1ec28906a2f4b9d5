package dev.bakehouse.node.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.FakeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.testing.TinyDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadDatasetTest {
    @TempDir
    Path root;

    private DataDirs dirs;
    private LoadDataset node;

    @BeforeEach
    void setUp() throws Exception {
        dirs = DataDirs.of(root);
        node = new LoadDataset(dirs);
        TinyDataset.write(dirs.datasets().resolve("kiki"), "3_kiki", 4);
    }

    @Test
    void execute_folderWithProblems_summarisesImagesRepeatsBucketsAndEveryProblem() throws Exception {
        Path folder = dirs.datasets().resolve("kiki/3_kiki");
        Files.delete(folder.resolve("img_01.txt"));
        Files.writeString(folder.resolve("broken.png"), "not a png");
        Files.createDirectories(dirs.datasets().resolve("kiki/no_repeats"));

        NodeResult result = node.execute(inputs("kiki"), new FakeContext(dirs));

        DatasetValue dataset = (DatasetValue) result.outputs().get(0);
        String summary = (String) result.outputs().get(1);
        assertEquals(summary, dataset.summary());
        assertEquals(folder.getParent(), dataset.folder());
        assertTrue(summary.startsWith("dataset kiki: 4 images in 1 folder(s), 3 with a caption file; 12 training images"
                + " with repeats"), summary);
        assertTrue(summary.contains("3_kiki: 4 images x 3 repeats, class tokens \"kiki\""), summary);
        assertTrue(summary.contains("buckets at resolution 64 (bucketing off): 64x64: 12;"), summary);
        assertTrue(summary.contains("[left out] " + folder.resolve("broken.png")), summary);
        assertTrue(summary.contains(folder.resolve("img_01.png") + ": no .txt caption file"), summary);
        assertTrue(summary.contains("warning: ignore directory without repeats: no_repeats"), summary);
    }

    @Test
    void fingerprint_changesWhenACaptionChanges() throws Exception {
        NodeInputs literal = new NodeInputs(LoadDataset.NAME, Map.of("dataset", "kiki"));
        Object before = node.fingerprint(literal);
        assertEquals(before, node.fingerprint(literal));

        Files.writeString(dirs.datasets().resolve("kiki/3_kiki/img_00.txt"), "kiki, ring, on a longer caption");

        assertNotEquals(before, node.fingerprint(literal));
    }

    @Test
    void execute_unknownOrEscapingName_failsNamingIt() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> node.execute(inputs("nope"), new FakeContext(dirs)))
                .getMessage().contains("no folder 'nope'"));
        assertThrows(IllegalArgumentException.class, () -> node.execute(inputs("../models"), new FakeContext(dirs)));
        assertEquals(List.of("kiki"), DatasetFolders.list(dirs));
    }

    private static NodeInputs inputs(String dataset) {
        return new NodeInputs(LoadDataset.NAME, Map.of("dataset", dataset, "caption_extension", ".txt",
                "resolution", "64", "enable_bucket", false));
    }
}
