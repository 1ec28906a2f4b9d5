package dev.bakehouse.workflows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.server.exec.Outcome;
import dev.bakehouse.testing.TinyDataDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code workflows/block-weight-test.json} on the tiny model: one LoRA over LBW presets
 * (columns) × strength (rows) in a SampleGrid, plus LoraBlockAnalysis's table of effective blocks.
 */
class BlockWeightWorkflowTest {
    @TempDir
    Path data;

    @Test
    void blockWeightTest_presetsByStrength_noneIsStrengthIndependent_tableListsBlocks() throws Exception {
        TinyDataDir.populate(data);
        DataDirs dirs = DataDirs.of(data);
        Outcome.Success success = ShippedWorkflow.run(dirs, ShippedWorkflow.load("block-weight-test.json"));

        JsonNode grid = success.uiOutputs().get("11").at("/bakehouse_grid/0");
        assertEquals("[\"NONE\",\"ALL\",\"INALL\",\"MIDD\",\"OUTALL\"]", grid.at("/axes/0/values").toString());
        assertEquals("[\"0.5\",\"1\"]", grid.at("/axes/1/values").toString());
        assertEquals(10, grid.get("cells").size());
        int[] noneHalf = cellPixels(dirs, grid, 0);
        int[] noneFull = cellPixels(dirs, grid, 5);
        int[] allFull = cellPixels(dirs, grid, 6);
        assertArrayEquals(noneHalf, noneFull, "preset NONE switches every block off, so strength cannot matter");
        assertFalse(Arrays.equals(noneFull, allFull), "preset ALL at strength 1 changed nothing");

        JsonNode analysis = success.uiOutputs().get("12");
        Path png = ShippedWorkflow.file(dirs, analysis.at("/images/0"));
        Path csv = png.resolveSibling(png.getFileName().toString().replace(".png", ".csv"));
        String table = Files.readString(csv);
        assertTrue(table.startsWith("block,modules,share"), table);
        assertTrue(table.lines().skip(1).anyMatch(line -> line.matches("(IN|MID|OUT)\\d*,.*")),
                "a row per LBW block the LoRA has modules in:\n" + table);
    }

    private static int[] cellPixels(DataDirs dirs, JsonNode grid, int index) {
        return ShippedWorkflow.pixels(ShippedWorkflow.file(dirs, grid.at("/cells/" + index + "/image")));
    }
}
