package dev.bakehouse.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketResolutionsTest {

    private static BucketOptions options(JsonNode in, boolean enableBucket) {
        Size res = Size.parseResolution(in.get("resolution").asText());
        if (!enableBucket) {
            return BucketOptions.defaults(res, false);
        }
        return new BucketOptions(res, true, in.get("min_bucket_reso").asInt(), in.get("max_bucket_reso").asInt(),
                in.get("bucket_reso_steps").asInt(), in.get("bucket_no_upscale").asBoolean());
    }

    private static List<Size> sizes(JsonNode list) {
        List<Size> out = new ArrayList<>();
        list.forEach(p -> out.add(KohyaFixtures.size(p)));
        return out;
    }

    @Test
    void prepare_everyFixtureSetting_matchesKohyaListWarningsAndErrors() {
        JsonNode cases = KohyaFixtures.read("buckets.json").get("cases");
        assertEquals(132, cases.size());
        for (JsonNode c : cases) {
            String id = c.get("id").asText();
            BucketOptions o = options(c.get("input"), true);
            assertEquals(KohyaFixtures.size(c.get("resolution_wh")), o.resolution(), id);
            List<String> warnings = new ArrayList<>();
            if (!c.get("error").isNull()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> BucketResolutions.prepare(o, BucketOptions.Script.SDXL_TRAIN_NETWORK, warnings), id);
                assertEquals(c.get("error").asText(), e.getMessage(), id);
                continue;
            }
            boolean sd = c.get("valid_for").get("train_network").asBoolean();
            if (!sd) {
                assertThrows(IllegalArgumentException.class,
                        () -> BucketResolutions.prepare(o, BucketOptions.Script.TRAIN_NETWORK, new ArrayList<>()), id);
            }
            BucketResolutions b = BucketResolutions.prepare(o, BucketOptions.Script.SDXL_TRAIN_NETWORK, warnings);
            assertEquals(KohyaFixtures.strings(c.get("warnings")), warnings, id);
            assertEquals(c.get("adjusted").get("min_bucket_reso").asInt(), b.minBucketReso(), id);
            assertEquals(c.get("adjusted").get("max_bucket_reso").asInt(), b.maxBucketReso(), id);
            if (c.get("predefined_resos").isNull()) {
                assertNull(b.predefined(), id);
            } else {
                assertEquals(sizes(c.get("predefined_resos")), b.predefined(), id);
            }
        }
    }

    @Test
    void select_everyFixtureImage_matchesBucketResizeCropAndSdxlConditioning() {
        JsonNode fixture = KohyaFixtures.read("assignments.json");
        Map<String, BucketResolutions> settings = new HashMap<>();
        for (JsonNode s : fixture.get("settings")) {
            BucketResolutions b = BucketResolutions.prepare(options(s, s.get("enable_bucket").asBoolean()),
                    BucketOptions.Script.SDXL_TRAIN_NETWORK, new ArrayList<>());
            assertEquals(s.get("mode").asText(), switch (b.mode()) {
                case PREDEFINED -> "predefined";
                case NO_UPSCALE -> "no_upscale";
                case SINGLE -> "single";
            });
            settings.put(s.get("id").asText(), b);
        }
        int checked = 0;
        for (JsonNode c : fixture.get("cases")) {
            BucketResolutions b = settings.get(c.get("setting").asText());
            Size image = KohyaFixtures.size(c.get("image"));
            String id = c.get("setting").asText() + " " + image;
            if (!c.get("error").isNull()) {
                assertThrows(ArithmeticException.class, () -> b.select(image), id);
                checked++;
                continue;
            }
            BucketAssignment a = b.select(image);
            assertEquals(KohyaFixtures.size(c.get("bucket")), a.bucket(), id);
            assertEquals(KohyaFixtures.size(c.get("resized")), a.resized(), id);
            assertEquals(c.get("ar_error").asDouble(), a.arError(), 0.0, id);
            assertEquals(c.get("exact_match").asBoolean(), a.exactMatch(), id);
            String interpolation = a.interpolation() == null ? null : a.interpolation().name().toLowerCase();
            assertEquals(c.get("interpolation").isNull() ? null : c.get("interpolation").asText(), interpolation, id);
            if (c.has("unusable")) {
                assertTrue(!a.usable(), id);
                checked++;
                continue;
            }
            assertTrue(a.usable(), id);
            assertEquals(KohyaFixtures.size(c.get("crop_left_top")), a.centerCropLeftTop(), id);
            assertEquals(KohyaFixtures.size(c.get("random_crop_max")), a.randomCropMax(), id);
            double[] ltrb = a.sdxlCropLtrb();
            for (int i = 0; i < 4; i++) {
                assertEquals(c.get("sdxl_crop_ltrb").get(i).asDouble(), ltrb[i], 0.0, id + " ltrb " + i);
            }
            int[] topLeft = a.sdxlCropTopLeft(false);
            assertEquals(c.get("sdxl").get("crop_top_left").get(0).asInt(), topLeft[0], id);
            assertEquals(c.get("sdxl").get("crop_top_left").get(1).asInt(), topLeft[1], id);
            int[] flipped = a.sdxlCropTopLeft(true);
            assertEquals(c.get("sdxl_flipped_crop_top_left").get(0).asInt(), flipped[0], id);
            assertEquals(c.get("sdxl_flipped_crop_top_left").get(1).asInt(), flipped[1], id);
            checked++;
        }
        assertEquals(329, checked);
    }

    @Test
    void prepare_step32ForSd15_rejectedNamingTheOption() {
        BucketOptions o = new BucketOptions(new Size(512, 512), true, 256, 1024, 32, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BucketResolutions.prepare(o, BucketOptions.Script.TRAIN_NETWORK, new ArrayList<>()));
        assertTrue(e.getMessage().startsWith("bucket_reso_steps is 32"), e.getMessage());
    }

    @Test
    void parseResolution_widthFirstAndBadTextNamed() {
        assertEquals(new Size(512, 768), Size.parseResolution("512,768"));
        assertEquals(new Size(640, 640), Size.parseResolution("640"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Size.parseResolution("512x768"));
        assertTrue(e.getMessage().contains("resolution") && e.getMessage().contains("512x768"));
    }
}
