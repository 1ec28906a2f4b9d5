package dev.bakehouse.node.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bakehouse.grid.GridLabels;
import dev.bakehouse.grid.LabelledGrid;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.node.FakeContext;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.image.Images;
import dev.bakehouse.node.image.PngFiles;
import dev.bakehouse.node.lora.ApplyLora;
import dev.bakehouse.node.lora.LoraValue;
import dev.bakehouse.node.sd.ClipTextEncode;
import dev.bakehouse.node.sd.ClipValue;
import dev.bakehouse.node.sd.Conditioning;
import dev.bakehouse.node.sd.HostTensor;
import dev.bakehouse.node.sd.KSamplerNode;
import dev.bakehouse.node.sd.Latent;
import dev.bakehouse.node.sd.ModelValue;
import dev.bakehouse.node.sd.ModelNodesHarness;
import dev.bakehouse.node.sd.VaeDecode;
import dev.bakehouse.node.sd.VaeValue;
import dev.bakehouse.testing.SharedResources;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SampleGrid on the tiny fixture model: a 3x3 grid of three "epochs" of the fixture LoRA (its
 * lora_up scaled by 0.5, 1 and 2) by strength 0, 0.5, 1, checked against images sampled through
 * the plain nodes. {@code -Dbakehouse.gridPreview=<dir>} copies the saved grid there to look at.
 */
class SampleGridTest {
    private static final int SIZE = 64;
    private static final String PROMPT = "a red circle";

    @TempDir
    static Path root;

    private static ModelNodesHarness tiny;
    private static ModelValue model;
    private static ClipValue clip;
    private static VaeValue vae;
    private static List<LoraValue> epochs;

    @BeforeAll
    static void load() throws Exception {
        tiny = new ModelNodesHarness(root);
        model = tiny.model();
        clip = tiny.clip();
        vae = tiny.vae();
        epochs = List.of(
                GridFixtures.scaledLora(tiny.dirs, "epoch-000001.safetensors", 0.5f, m -> true),
                GridFixtures.scaledLora(tiny.dirs, "epoch-000002.safetensors", 1f, m -> true),
                GridFixtures.scaledLora(tiny.dirs, "epoch-000003.safetensors", 2f, m -> true));
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    private static Map<String, Object> inputs(String xType, String xValues, String yType, String yValues, String zType,
            String zValues) {
        Map<String, Object> in = new HashMap<>();
        in.put("model", model);
        in.put("clip", clip);
        in.put("vae", vae);
        in.put("positive", PROMPT);
        in.put("negative", "");
        in.put("width", (long) SIZE);
        in.put("height", (long) SIZE);
        in.put("seed", 7L);
        in.put("steps", 2L);
        in.put("cfg", 5.0);
        in.put("sampler_name", "euler");
        in.put("scheduler", "normal");
        in.put("strength_model", 1.0);
        in.put("strength_clip", 1.0);
        in.put("x_type", xType);
        in.put("x_values", xValues);
        in.put("y_type", yType);
        in.put("y_values", yValues);
        in.put("z_type", zType);
        in.put("z_values", zValues);
        in.put("filename_prefix", "");
        return in;
    }

    private static NodeResult run(Map<String, Object> in, FakeContext ctx) throws Exception {
        return new SampleGrid().execute(new NodeInputs("SampleGrid #5", GridFixtures.asLists(in)), ctx);
    }

    /** The image a hand-built graph gives: CLIPTextEncode, KSampler on an empty latent, VAEDecode. */
    private static ImageBatch plainGraph(ModelValue m, ClipValue c, long seed, String prompt) {
        FakeContext ctx = tiny.context();
        Conditioning positive = tiny.encode(c, prompt);
        Conditioning negative = tiny.encode(c, "");
        Map<String, Object> k = new HashMap<>();
        k.put("model", m);
        k.put("seed", seed);
        k.put("steps", 2L);
        k.put("cfg", 5.0);
        k.put("sampler_name", "euler");
        k.put("scheduler", "normal");
        k.put("positive", positive);
        k.put("negative", negative);
        k.put("latent_image", new Latent(HostTensor.zeros(1, 4, SIZE / 8, SIZE / 8)));
        k.put("denoise", 1.0);
        Latent latent = (Latent) new KSamplerNode().execute(new NodeInputs("KSampler", k), ctx).outputs().get(0);
        return (ImageBatch) new VaeDecode().execute(new NodeInputs("VAEDecode", Map.of("samples", latent, "vae", vae)),
                ctx).outputs().get(0);
    }

    @Test
    void epochsByStrength_3x3_labelledGrid_cellsMatchThePlainGraph_andMetadataIsSaved() throws Exception {
        Map<String, Object> in = inputs("LoRA", "", "Strength", "0,0.5,1", "Nothing", "");
        in.put("lora", epochs);
        in.put("filename_prefix", "grids/epochs");
        FakeContext ctx = tiny.context();
        NodeResult result = run(in, ctx);
        ImageBatch grid = (ImageBatch) result.outputs().get(0);
        ImageBatch cells = (ImageBatch) result.outputs().get(1);
        String info = (String) result.outputs().get(2);

        // size: label margins + 3 x 3 cells, each enlarged to 128 px
        GridLabels labels = new GridLabels("LoRA", List.of("epoch-000001", "epoch-000002", "epoch-000003"),
                "Strength", List.of("0", "0.5", "1"), "", GridLabels.unused());
        LabelledGrid.Layout layout = LabelledGrid.layout(SIZE, SIZE, labels);
        assertEquals(2, layout.scale());
        assertTrue(layout.leftMargin() > 0 && layout.headerHeight() > 0, layout.toString());
        assertEquals(layout.leftMargin() + 3 * 2 * SIZE, grid.width());
        assertEquals(layout.headerHeight() + 3 * 2 * SIZE, grid.height());
        assertEquals(9, cells.batch());
        assertEquals(SIZE, cells.width());
        assertEquals(9, ctx.progress.size(), "one progress report per cell");
        assertEquals(9, ctx.progress.get(8)[0]);
        assertEquals(9, ctx.progress.get(8)[1]);

        // strength 0: every epoch's cell is exactly the base model's image
        ImageBatch base = plainGraph(model, clip, 7, PROMPT);
        for (int x = 0; x < 3; x++) {
            assertEquals(base, cells.image(x), "strength 0, epoch " + (x + 1));
        }
        // along each axis the cells differ
        for (int y = 1; y < 3; y++) {
            assertNotEquals(cells.image(y * 3), cells.image(y * 3 + 1), "row " + y + ": epochs 1 and 2");
            assertNotEquals(cells.image(y * 3 + 1), cells.image(y * 3 + 2), "row " + y + ": epochs 2 and 3");
        }
        for (int x = 0; x < 3; x++) {
            assertNotEquals(cells.image(3 + x), cells.image(6 + x), "column " + x + ": strength 0.5 vs 1");
        }
        // and nothing else changes: epoch 2 at strength 1 is what ApplyLoRA(1, 1) then sampling gives
        NodeResult applied = new ApplyLora().execute(new NodeInputs("ApplyLoRA", Map.of("model", model, "clip", clip,
                "lora", epochs.get(1), "strength_model", 1.0, "strength_clip", 1.0)), tiny.context());
        assertEquals(plainGraph((ModelValue) applied.outputs().get(0), (ClipValue) applied.outputs().get(1), 7, PROMPT),
                cells.image(7));
        // epoch 1 (up x0.5) at strength 1 is epoch 2 at strength 0.5 up to rounding: ΔW is linear in lora_up
        float[] a = cells.image(6).toArray();
        float[] b = cells.image(4).toArray();
        assertTrue(BlockAnalyzer.meanAbsDiff(a, b) < 1e-4, "mean |diff| " + BlockAnalyzer.meanAbsDiff(a, b));

        // each cell is drawn at its place, enlarged
        BufferedImage gridImage = Images.toBufferedImage(grid, 0);
        BufferedImage cellImage = Images.toBufferedImage(cells, 5);
        Rectangle r = layout.cell(2, 1, 0);
        for (int py = 0; py < r.height; py += 3) {
            for (int px = 0; px < r.width; px += 3) {
                assertEquals(cellImage.getRGB(px / 2, py / 2), gridImage.getRGB(r.x + px, r.y + py));
            }
        }

        // the saved grid holds the prompt and the grid's settings
        Path saved = tiny.dirs.output().resolve("grids/epochs_00001_.png");
        Map<String, String> text = PngFiles.readText(saved);
        assertTrue(text.containsKey("prompt"), text.keySet().toString());
        assertEquals(info, text.get(GridInfo.CHUNK));
        JsonNode json = new ObjectMapper().readTree(info);
        assertEquals(GridInfo.VERSION, json.get("version").asInt());
        assertEquals("LoRA", json.at("/axes/0/type").asText());
        assertEquals("Strength", json.at("/axes/1/type").asText());
        assertEquals("0,0.5,1", json.at("/axes/1/text").asText());
        assertEquals("[\"0\",\"0.5\",\"1\"]", json.at("/axes/1/values").toString());
        assertEquals("Nothing", json.at("/axes/2/type").asText());
        assertEquals(PROMPT, json.at("/base/positive").asText());
        assertEquals(7, json.at("/base/seed").asLong());
        assertEquals(SIZE, json.at("/base/width").asInt());
        assertEquals(9, json.get("cells").size());
        JsonNode cell7 = json.get("cells").get(7);
        assertEquals(1, cell7.get("x").asInt());
        assertEquals(2, cell7.get("y").asInt());
        assertEquals("epoch-000002.safetensors", cell7.get("lora").asText());
        assertEquals(1.0, cell7.get("strength_model").asDouble());
        assertEquals(1.0, cell7.get("strength_clip").asDouble());
        assertEquals("euler", cell7.get("sampler_name").asText());
        assertEquals("grids", result.ui().at("/images/0/subfolder").asText());
        assertEquals("epochs_00001_.png", result.ui().at("/images/0/filename").asText());
        JsonNode viewer = result.ui().at("/bakehouse_grid/0");
        assertEquals(json.get("axes"), viewer.get("axes"), "the grid viewer gets the axes as saved");
        assertEquals("epochs_cell_00008_.png", viewer.at("/cells/7/image/filename").asText());
        assertEquals("grids", viewer.at("/cells/7/image/subfolder").asText());
        assertEquals("epoch-000002.safetensors", viewer.at("/cells/7/lora").asText());
        ImageBatch cellImages = (ImageBatch) result.outputs().get(1);
        assertEquals(Images.toBufferedImage(cellImages, 7).getRGB(5, 5),
                ImageIO.read(saved.resolveSibling("epochs_cell_00008_.png").toFile()).getRGB(5, 5),
                "cell 7's file holds cell 7");

        String preview = System.getProperty("bakehouse.gridPreview");
        if (preview != null) {
            Files.copy(saved, Path.of(preview).resolve("sample-grid-3x3.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void seedByPromptSR_zPages_differOnlyAlongTheirAxis() throws Exception {
        FakeContext ctx = tiny.context();
        NodeResult result = run(inputs("Seed", "1-2", "Nothing", "", "Prompt S/R", "red,blue"), ctx);
        ImageBatch cells = (ImageBatch) result.outputs().get(1);
        assertEquals(4, cells.batch());
        assertEquals(plainGraph(model, clip, 1, PROMPT), cells.image(0));
        assertEquals(plainGraph(model, clip, 2, "a blue circle"), cells.image(3));
        assertNotEquals(cells.image(0), cells.image(1));
        assertNotEquals(cells.image(0), cells.image(2));
        GridLabels labels = new GridLabels("Seed", List.of("1", "2"), "", GridLabels.unused(), "Prompt S/R",
                List.of("red", "blue"));
        LabelledGrid.Layout layout = LabelledGrid.layout(SIZE, SIZE, labels);
        ImageBatch grid = (ImageBatch) result.outputs().get(0);
        assertEquals(layout.height(), grid.height());
        assertEquals(2 * (layout.bannerHeight() + layout.headerHeight() + 2 * SIZE) + layout.gap(), grid.height());
        JsonNode json = new ObjectMapper().readTree((String) result.outputs().get(2));
        assertEquals("a blue circle", json.at("/cells/2/positive").asText());
        assertNull(result.ui(), "no filename_prefix, nothing saved");
    }

    @Test
    void blockWeightAxis_noneIsTheBaseImage_26OnesIsTheFullLora_17ValueAllDropsTheOtherBlocks() throws Exception {
        String ones26 = String.join(",", java.util.Collections.nCopies(26, "1"));
        Map<String, Object> in = inputs("Block weight", "NONE;" + ones26 + ";ALL;1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
                "Nothing", "", "Nothing", "");
        in.put("lora", List.of(epochs.get(1)));
        ImageBatch cells = (ImageBatch) run(in, tiny.context()).outputs().get(1);
        assertEquals(plainGraph(model, clip, 7, PROMPT), cells.image(0));
        NodeResult applied = new ApplyLora().execute(new NodeInputs("ApplyLoRA", Map.of("model", model, "clip", clip,
                "lora", epochs.get(1), "strength_model", 1.0, "strength_clip", 1.0)), tiny.context());
        assertEquals(plainGraph((ModelValue) applied.outputs().get(0), (ClipValue) applied.outputs().get(1), 7, PROMPT),
                cells.image(1));
        // The extension's rule: a 17-value vector gives 0 to the blocks it does not list, and this
        // LoCon has modules in them (IN03, IN06, IN09-IN11, OUT00-OUT02)
        assertNotEquals(cells.image(1), cells.image(2));
        // BASE only: the text encoder's modules, the UNet untouched
        assertEquals(plainGraph(model, (ClipValue) applied.outputs().get(1), 7, PROMPT), cells.image(3));
    }

    @Test
    void repeatedGrids_leaveNoArraysBehindInTheModelsManager() throws Exception {
        StableDiffusion sd = tiny.cache.checkpoint(model.checkpoint().file());
        Map<String, Object> in = inputs("Strength", "0,1", "Nothing", "", "Nothing", "");
        in.put("lora", List.of(epochs.get(2)));
        run(in, tiny.context()); // fills the caches derived from weights (fused q/k/v, norm scales)
        int arrays = sd.manager().getManagedArrays().size();
        for (int i = 0; i < 3; i++) {
            run(in, tiny.context());
        }
        assertEquals(arrays, sd.manager().getManagedArrays().size());
    }

    @Test
    void badAxes_failBeforeSampling_namingTheAxis() {
        Map<String, Object> notNumber = inputs("LoRA", "", "Strength", "0, half", "Nothing", "");
        notNumber.put("lora", epochs);
        assertMessage(notNumber, "Y axis (Strength): 'half' is not a number");

        assertMessage(inputs("Strength", "0,1", "Nothing", "", "Nothing", ""),
                "X axis (Strength): needs a LoRA; connect one to the lora input");

        Map<String, Object> twoLoras = inputs("Seed", "1,2", "Nothing", "", "Nothing", "");
        twoLoras.put("lora", epochs);
        assertMessage(twoLoras, "3 LORA values are connected but no axis is LoRA");

        Map<String, Object> overlap = inputs("Strength", "0,1", "UNet strength", "0,1", "Nothing", "");
        overlap.put("lora", List.of(epochs.get(0)));
        assertMessage(overlap, "X axis (Strength) and Y axis (UNet strength) set the same setting");

        assertMessage(inputs("Prompt S/R", "square,circle", "Nothing", "", "Nothing", ""),
                "X axis (Prompt S/R): the first value 'square' (the text to replace) is in neither");
        assertMessage(inputs("Nothing", "", "Nothing", "", "Sampler", "euler, warp_drive"),
                "Z axis (Sampler): unknown value 'warp_drive'");
        assertMessage(inputs("Steps", "0-2", "Nothing", "", "Nothing", ""), "X axis (Steps): 0 steps is outside 1..10000");
        assertMessage(inputs("Seed", "-1", "Nothing", "", "Nothing", ""), "X axis (Seed): seed -1 is negative");

        Map<String, Object> badLora = inputs("LoRA", "epoch-000009", "Nothing", "", "Nothing", "");
        badLora.put("lora", epochs);
        assertMessage(badLora, "X axis (LoRA): no connected LoRA is called 'epoch-000009'");

        assertMessage(inputs("Seed", "1-20", "Steps", "1-20", "CFG Scale", "1-10"),
                "SampleGrid: the axes make 4000 cells, at most " + SampleGrid.MAX_CELLS + " allowed");

        Map<String, Object> twoPrompts = inputs("Seed", "1", "Nothing", "", "Nothing", "");
        twoPrompts.put("positive", List.of("a", "b"));
        assertMessage(twoPrompts, "SampleGrid: input 'positive' takes one value, found a list of 2");

        Map<String, Object> badVector = inputs("Block weight", "1,0,1", "Nothing", "", "Nothing", "");
        badVector.put("lora", List.of(epochs.get(0)));
        assertMessage(badVector, "X axis (Block weight): ");
    }

    private static void assertMessage(Map<String, Object> in, String expected) {
        FakeContext ctx = tiny.context();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(in, ctx));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(ctx.progress.isEmpty(), "sampled before failing: " + e.getMessage());
    }
}
