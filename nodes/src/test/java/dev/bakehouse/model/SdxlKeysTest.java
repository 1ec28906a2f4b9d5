package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.Shapes;
import dev.bakehouse.tensor.sd.ArchitectureDetector;
import dev.bakehouse.tensor.sd.CheckpointComponent;
import dev.bakehouse.tensor.sd.ShapeIndex;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.KeyTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDXL architecture built from config against SDXL base 1.0's key list ({@code sdxl-keys.tsv}, {@code sdxl-counts.tsv}). */
class SdxlKeysTest {
    /** Buffers a checkpoint carries that the model never reads. */
    private static final Set<String> UNREAD = Set.of(
            "conditioner.embedders.0.transformer.text_model.embeddings.position_ids",
            "conditioner.embedders.1.model.logit_scale");

    @TempDir
    Path tmp;

    @Test
    void sdxlPreset_declaresEveryKeyAndShapeOfSdxlBase() throws Exception {
        Map<String, long[]> published = KeyTables.shapes("sdxl-keys.tsv");
        Map<String, long[]> declared = StableDiffusion.declaredWeights(ModelConfig.sdxl());
        Set<String> expected = new TreeSet<>(published.keySet());
        expected.removeAll(UNREAD);
        assertEquals(expected, new TreeSet<>(declared.keySet()));
        for (var e : declared.entrySet()) {
            assertArrayEquals(published.get(e.getKey()), e.getValue(), e.getKey());
        }
    }

    @Test
    void sdxlPreset_tensorAndParameterCountsPerComponentMatchSdxlCounts() throws Exception {
        Map<String, long[]> declared = StableDiffusion.declaredWeights(ModelConfig.sdxl());
        Map<CheckpointComponent, long[]> counts = new EnumMap<>(CheckpointComponent.class); // {tensors, parameters}
        declared.forEach((key, shape) -> {
            long[] c = counts.computeIfAbsent(CheckpointComponent.of(key), k -> new long[2]);
            c[0]++;
            c[1] += Shapes.numel(shape);
        });
        Map<String, CheckpointComponent> items = Map.of("unet", CheckpointComponent.UNET,
                "text1_clip_l", CheckpointComponent.TEXT_ENCODER_SDXL_1,
                "text2_openclip_bigg", CheckpointComponent.TEXT_ENCODER_SDXL_2, "vae", CheckpointComponent.VAE);
        long unreadParameters = 1; // logit_scale; position_ids is I64 and not counted as a parameter
        long totalTensors = 0;
        long totalParameters = 0;
        for (Map<String, String> row : KeyTables.rows("sdxl-counts.tsv")) {
            CheckpointComponent c = items.get(row.get("item"));
            if (c == null) {
                if (row.get("item").equals("total")) {
                    assertEquals(Long.parseLong(row.get("tensors")), totalTensors + UNREAD.size());
                    assertEquals(Long.parseLong(row.get("parameters")), totalParameters + unreadParameters);
                }
                continue;
            }
            long unreadTensors = UNREAD.stream().filter(k -> CheckpointComponent.of(k) == c).count();
            long unreadParams = c == CheckpointComponent.TEXT_ENCODER_SDXL_2 ? unreadParameters : 0;
            assertEquals(Long.parseLong(row.get("tensors")), counts.get(c)[0] + unreadTensors, row.get("item") + " tensors");
            assertEquals(Long.parseLong(row.get("parameters")), counts.get(c)[1] + unreadParams, row.get("item") + " parameters");
            totalTensors += counts.get(c)[0];
            totalParameters += counts.get(c)[1];
        }
        assertEquals(2515 - UNREAD.size(), totalTensors);
    }

    @Test
    void fromDetected_sdxlBaseKeyShapes_equalsSdxlPreset() throws Exception {
        var detected = ArchitectureDetector.detect(new ShapeIndex(Path.of("sdxl-keys.tsv"), KeyTables.shapes("sdxl-keys.tsv")), Map.of());
        assertEquals(ModelConfig.sdxl(), ModelConfigs.fromDetected(detected, "sdxl-keys.tsv"));
    }

    @Test
    void fromDetected_tinySdxl_refusesToGuessHeadsAndSaysSdxl() throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.file("sdxl-tiny/tiny.safetensors"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelConfigs.fromDetected(ArchitectureDetector.detect(file), "tiny.safetensors"));
            assertTrue(e.getMessage().contains("SDXL") && e.getMessage().contains("pass a config file"), e.getMessage());
        }
    }

    @Test
    void ldmJson_sdxlRoundTripsThroughTheSidecarFormat() throws Exception {
        ModelConfig tiny = ModelConfigs.fromLdmJson(Fixtures.file("sdxl-tiny/config.json"));
        for (ModelConfig config : new ModelConfig[] {ModelConfig.sdxl(), tiny}) {
            Path sidecar = tmp.resolve("model.config.json");
            Files.writeString(sidecar, ModelConfigs.toLdmJson(config));
            assertEquals(config, ModelConfigs.fromLdmJson(sidecar));
        }
    }

    @Test
    void ldmJson_otherTextLayerThanSdxls_isRefusedNamingTheField() throws Exception {
        String json = Files.readString(Fixtures.file("sdxl-tiny/config.json")).replace("\"layer_idx\": 11", "\"layer_idx\": 10");
        Path file = tmp.resolve("bad.config.json");
        Files.writeString(file, json);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfigs.fromLdmJson(file));
        assertTrue(e.getMessage().contains("text1.layer") && e.getMessage().contains("10"), e.getMessage());
    }
}
