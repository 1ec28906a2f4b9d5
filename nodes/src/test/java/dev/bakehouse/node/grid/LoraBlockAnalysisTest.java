package dev.bakehouse.node.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bakehouse.grid.GridLabels;
import dev.bakehouse.grid.LabelledGrid;
import dev.bakehouse.node.FakeContext;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.image.PngFiles;
import dev.bakehouse.node.lora.LoraValue;
import dev.bakehouse.node.sd.ModelNodesHarness;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraBlockAnalysisTest {
    private static final int SIZE = 64;

    @TempDir
    static Path root;

    private static ModelNodesHarness tiny;

    @BeforeAll
    static void load() {
        tiny = new ModelNodesHarness(root);
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    @Test
    void modulesPerBlock_matchesTheFixtureModuleTable() throws Exception {
        Map<String, Integer> expected = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(Fixtures.file("sd15-tiny/lora-modules.tsv"));
        List<String> names = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cols = line.split("\t");
            names.add(cols[0]);
            expected.merge(cols[7], 1, Integer::sum);
        }
        List<String> unplaced = new ArrayList<>();
        Map<String, Integer> counts = BlockAnalyzer.modulesPerBlock(names, unplaced);
        assertEquals(new HashMap<>(expected), new HashMap<>(counts));
        assertEquals(List.of(), unplaced);
        assertEquals("BASE", counts.keySet().iterator().next(), "LBW order");
    }

    @Test
    void loraWithOnlyIN04NonZero_reportsIN04_andZeroForEveryOtherBlock() throws Exception {
        LoraValue onlyIn04 = GridFixtures.scaledLora(tiny.dirs, "only-in04.safetensors", 0f,
                m -> !BlockAnalyzer.blockOf(m).equals("IN04"));
        Map<String, Object> in = new HashMap<>();
        in.put("model", tiny.model());
        in.put("clip", tiny.clip());
        in.put("vae", tiny.vae());
        in.put("lora", onlyIn04);
        in.put("positive", "a red circle");
        in.put("negative", "");
        in.put("width", (long) SIZE);
        in.put("height", (long) SIZE);
        in.put("seed", 11L);
        in.put("steps", 1L);
        in.put("cfg", 5.0);
        in.put("sampler_name", "euler");
        in.put("scheduler", "normal");
        in.put("strength", 1.0);
        in.put("filename_prefix", "lbw/only-in04");
        FakeContext ctx = tiny.context();
        NodeResult result = new LoraBlockAnalysis().execute(new NodeInputs("LoraBlockAnalysis #4", in), ctx);

        String table = (String) result.outputs().get(1);
        assertTrue(table.contains("carried by: IN04 (100%)"), table);
        JsonNode json = new ObjectMapper().readTree(tiny.dirs.output().resolve("lbw/only-in04_00001_.json").toFile());
        assertEquals("[\"IN04\"]", json.get("carriers").toString());
        double total = json.at("/full_vs_base/latent").asDouble();
        assertTrue(total > 1e-3, "the IN04 modules change the image: " + total);
        JsonNode blocks = json.get("blocks");
        assertEquals(25, blocks.size(), "every block the fixture LoRA has modules in");
        assertEquals(2 + 2 * 25, ctx.progress.size());
        for (JsonNode b : blocks) {
            String block = b.get("block").asText();
            if (block.equals("IN04")) {
                // off: every other module is zero, so the image is the base one; alone: the full one
                assertEquals(total, b.at("/off_vs_full/latent").asDouble());
                assertEquals(0.0, b.at("/off_vs_base/latent").asDouble());
                assertEquals(0.0, b.at("/alone_vs_full/latent").asDouble());
                assertEquals(total, b.at("/alone_vs_base/latent").asDouble());
                assertTrue(b.at("/off_vs_full/pixel").asDouble() > 0);
                assertEquals(1.0, b.get("share").asDouble());
            } else {
                // zero modules: switching the block off or on alone changes nothing (exactly: W + 0 = W)
                assertEquals(0.0, b.at("/off_vs_full/latent").asDouble(), block);
                assertEquals(0.0, b.at("/off_vs_full/pixel").asDouble(), block);
                assertEquals(0.0, b.at("/alone_vs_base/latent").asDouble(), block);
                assertEquals(0.0, b.at("/alone_vs_base/pixel").asDouble(), block);
                assertEquals(total, b.at("/alone_vs_full/latent").asDouble(), 1e-12, block);
            }
        }

        List<String> csv = Files.readAllLines(tiny.dirs.output().resolve("lbw/only-in04_00001_.csv"));
        assertEquals(26, csv.size());
        assertTrue(csv.get(0).startsWith("block,modules,share,off_vs_full_latent,off_vs_full_pixel"), csv.get(0));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("IN04,16,1.000,")), String.join("\n", csv));

        Path png = tiny.dirs.output().resolve("lbw/only-in04_00001_.png");
        assertEquals(json.toString(), new ObjectMapper().readTree(PngFiles.readText(png).get(LoraBlockAnalysis.CHUNK)).toString());
        ImageBatch grid = (ImageBatch) result.outputs().get(0);
        List<String> rows = new ArrayList<>(List.of("none\n(full | base)"));
        blocks.forEach(b -> rows.add(b.get("block").asText() + "\n"
                + (b.get("block").asText().equals("IN04") ? "100%" : "0%")));
        LabelledGrid.Layout layout = LabelledGrid.layout(SIZE, SIZE, new GridLabels("", List.of("block off", "block alone"),
                "Block", rows, "", GridLabels.unused()));
        assertEquals(layout.width(), grid.width());
        assertEquals(layout.height(), grid.height());
        assertEquals(layout.headerHeight() + 26 * 2 * SIZE, grid.height());

        String preview = System.getProperty("bakehouse.gridPreview");
        if (preview != null) {
            Files.copy(png, Path.of(preview).resolve("lbw-analysis.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
