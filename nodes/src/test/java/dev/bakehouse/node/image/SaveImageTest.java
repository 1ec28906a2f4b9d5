package dev.bakehouse.node.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.FakeContext;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaveImageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    @Test
    void save_writesNumberedPngsAndReportsThemAsOutput() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        NodeResult result = save(dirs, twoPixelBatch(2), "ComfyUI", null, null);

        assertEquals(JSON.readTree("{\"images\": ["
                + "{\"filename\": \"ComfyUI_00001_.png\", \"subfolder\": \"\", \"type\": \"output\"},"
                + "{\"filename\": \"ComfyUI_00002_.png\", \"subfolder\": \"\", \"type\": \"output\"}]}"),
                result.ui());
        assertEquals(List.of(), result.outputs());
        BufferedImage read = ImageIO.read(dirs.output().resolve("ComfyUI_00002_.png").toFile());
        assertEquals(2, read.getWidth());
        assertEquals(0xff0000, read.getRGB(0, 0) & 0xffffff);
        assertEquals(0x0000ff, read.getRGB(1, 0) & 0xffffff);
    }

    @Test
    void save_counterIsOneAboveTheHighestExistingForThatPrefix() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        Files.writeString(dirs.output().resolve("ComfyUI_00007_.png"), "x");
        Files.writeString(dirs.output().resolve("ComfyUI_00003_.png"), "x");
        Files.writeString(dirs.output().resolve("Other_00042_.png"), "x");

        NodeResult result = save(dirs, twoPixelBatch(1), "ComfyUI", null, null);

        assertEquals("ComfyUI_00008_.png", result.ui().at("/images/0/filename").asText());
    }

    @Test
    void save_embedsPromptThenWorkflowAsAsciiJsonTextChunks() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        ObjectNode prompt = (ObjectNode) JSON.readTree(
                "{\"9\": {\"class_type\": \"SaveImage\", \"inputs\": {\"filename_prefix\": \"Café ☕\"}}}");
        JsonNode extra = JSON.readTree("{\"workflow\": {\"nodes\": [], \"title\": \"naïve\"}, \"other\": 1}");

        save(dirs, twoPixelBatch(1), "ComfyUI", prompt, extra);

        Map<String, String> text = PngFiles.readText(dirs.output().resolve("ComfyUI_00001_.png"));
        assertEquals(List.of("prompt", "workflow", "other"), List.copyOf(text.keySet()));
        assertEquals(prompt, JSON.readTree(text.get("prompt")));
        assertEquals(extra.get("workflow"), JSON.readTree(text.get("workflow")));
        assertTrue(text.get("prompt").chars().allMatch(c -> c < 128), text.get("prompt"));
        assertTrue(text.get("prompt").contains("Caf\\u00e9 \\u2615"), text.get("prompt"));
        assertTrue(text.get("workflow").startsWith("{\"nodes\": [], \"title\": "), text.get("workflow"));
    }

    @Test
    void save_withoutExtraPngInfo_hasOnlyThePromptChunk() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        save(dirs, twoPixelBatch(1), "x", JSON.createObjectNode(), null);
        assertEquals(List.of("prompt"),
                List.copyOf(PngFiles.readText(dirs.output().resolve("x_00001_.png")).keySet()));
    }

    @Test
    void save_prefixWithSubfolderAndPlaceholders_isExpanded() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        NodeResult result = save(dirs, twoPixelBatch(2),
                "runs/%year%-%month%-%day%/img_%width%x%height%_%batch_num%", null, null);

        assertEquals("runs/2026-03-04", result.ui().at("/images/0/subfolder").asText());
        assertEquals("img_2x1_0_00001_.png", result.ui().at("/images/0/filename").asText());
        assertEquals("img_2x1_1_00002_.png", result.ui().at("/images/1/filename").asText());
        assertTrue(Files.isRegularFile(dirs.output().resolve("runs/2026-03-04/img_2x1_1_00002_.png")));
    }

    @Test
    void save_prefixLeavingTheOutputFolder_failsAndWritesNothing() throws IOException {
        DataDirs dirs = DataDirs.of(tmp);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> save(dirs, twoPixelBatch(1), "../escape/ComfyUI", null, null));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("escape")));
        assertThrows(IllegalArgumentException.class,
                () -> save(dirs, twoPixelBatch(1), "/tmp/abs/ComfyUI", null, null));
    }

    @Test
    void preview_writesToTempWithOneSuffixPerInstanceCountingUp() throws Exception {
        DataDirs dirs = DataDirs.of(tmp);
        PreviewImage preview = new PreviewImage(new java.util.Random(1));
        FakeContext ctx = new FakeContext(dirs, JSON.createObjectNode(), null, CLOCK);
        NodeInputs inputs = new NodeInputs("PreviewImage #1", Map.of("images", twoPixelBatch(1)));

        String first = preview.execute(inputs, ctx).ui().at("/images/0/filename").asText();
        String second = preview.execute(inputs, ctx).ui().at("/images/0/filename").asText();

        assertTrue(first.matches("ComfyUI_temp_[a-z]{5}_00001_\\.png"), first);
        assertEquals(first.replace("00001", "00002"), second);
        assertEquals("temp", preview.execute(inputs, ctx).ui().at("/images/0/type").asText());
        assertTrue(Files.isRegularFile(dirs.temp().resolve(first)));
    }

    private static NodeResult save(DataDirs dirs, ImageBatch images, String prefix, ObjectNode prompt,
                                   JsonNode extra) throws IOException {
        FakeContext ctx = new FakeContext(dirs, prompt, extra, CLOCK);
        return new SaveImage().execute(new NodeInputs("SaveImage #9",
                Map.of("images", images, "filename_prefix", prefix)), ctx);
    }

    /** {@code batch} images of 2×1 pixels: red, blue. */
    static ImageBatch twoPixelBatch(int batch) {
        float[] pixels = new float[batch * 6];
        for (int b = 0; b < batch; b++) {
            pixels[b * 6] = 1f;
            pixels[b * 6 + 5] = 1f;
        }
        return new ImageBatch(batch, 1, 2, 3, pixels);
    }
}
