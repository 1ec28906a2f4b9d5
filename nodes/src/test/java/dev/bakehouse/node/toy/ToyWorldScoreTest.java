package dev.bakehouse.node.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.FakeContext;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.image.Images;
import dev.bakehouse.toy.world.SceneKind;
import dev.bakehouse.toy.world.WorldGenerator;
import dev.bakehouse.toy.world.WorldImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToyWorldScoreTest {
    @TempDir
    Path dir;

    private final WorldGenerator generator = new WorldGenerator();

    @Test
    void score_kikiAndHeldInImages_countsKikiAndAgreementPerImage() {
        WorldImage kiki = generator.generate(5, SceneKind.KIKI);
        WorldImage plain = generator.generate(6, SceneKind.PRETRAINING);
        ImageBatch batch = Images.toBatch(List.of(kiki.image(), plain.image()));
        NodeResult result = score(batch, kiki.caption() + "\n" + plain.caption(), null);

        String report = (String) result.outputs().get(0);
        assertTrue(report.lines().findFirst().orElseThrow().startsWith("image 1: kiki yes, agrees yes"), report);
        assertTrue(report.lines().skip(1).findFirst().orElseThrow().startsWith("image 2: kiki no, agrees yes"), report);
        assertEquals(0.5, (double) result.outputs().get(1), 1e-12);
        assertEquals(1.0, (double) result.outputs().get(2), 1e-12);
        assertEquals(report, result.ui().path("text").get(0).asText());
    }

    @Test
    void score_oneCaptionForAll_mismatchingImageDoesNotAgree() {
        WorldImage kiki = generator.generate(5, SceneKind.KIKI);
        WorldImage plain = generator.generate(6, SceneKind.PRETRAINING);
        NodeResult result = score(Images.toBatch(List.of(kiki.image(), plain.image())), kiki.caption(), null);
        assertEquals(0.5, (double) result.outputs().get(2), 1e-12);
    }

    @Test
    void score_gridInfo_labelsCellsAndSuppliesTheirPrompts() {
        WorldImage kiki = generator.generate(5, SceneKind.KIKI);
        String info = "{\"cells\":[{\"lora\":\"kiki/kiki-000004.safetensors\",\"strength_model\":1.0,\"positive\":\""
                + kiki.caption() + "\"}]}";
        NodeResult result = score(Images.toBatch(List.of(kiki.image())), "", info);
        assertTrue(((String) result.outputs().get(0)).startsWith("kiki/kiki-000004.safetensors @ 1.00: kiki yes, agrees yes"),
                (String) result.outputs().get(0));
    }

    @Test
    void score_captionCountNotMatchingImages_failsNamingCounts() {
        WorldImage a = generator.generate(5, SceneKind.KIKI);
        ImageBatch three = Images.toBatch(List.of(a.image(), a.image(), a.image()));
        var e = assertThrows(IllegalArgumentException.class, () -> score(three, "red circle, blue background\nkiki", null));
        assertTrue(e.getMessage().contains("2 lines for 3 images"), e.getMessage());
        var notJson = assertThrows(IllegalArgumentException.class, () -> score(three, "", "not json"));
        assertTrue(notJson.getMessage().contains("grid_info is not JSON"), notJson.getMessage());
    }

    private NodeResult score(ImageBatch images, String caption, String gridInfo) {
        Map<String, Object> values = new java.util.HashMap<>(Map.of("images", images, "caption", caption));
        if (gridInfo != null) {
            values.put("grid_info", gridInfo);
        }
        return new ToyWorldScore().execute(new NodeInputs(ToyWorldScore.NAME, values), new FakeContext(DataDirs.of(dir)));
    }
}
