package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.sd.ArchitectureDetector;
import dev.bakehouse.tensor.sd.ShapeIndex;
import dev.bakehouse.testing.Fixtures;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelConfigsTest {
    @Test
    void fromLdmJson_fixtureConfig_equalsTinyPreset() throws Exception {
        assertEquals(ModelConfig.tiny(), ModelConfigs.fromLdmJson(Fixtures.file("sd15-tiny/config.json")));
    }

    @Test
    void fromDetected_sd15KeyShapes_equalsSd15Preset() throws Exception {
        SyntheticWeights sd15 = SyntheticWeights.sd15(1);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        sd15.names().forEach(k -> shapes.put(k, sd15.shape(k)));
        var detected = ArchitectureDetector.detect(new ShapeIndex(Path.of("sd15-keys.tsv"), shapes), Map.of());
        assertEquals(ModelConfig.sd15(), ModelConfigs.fromDetected(detected, "sd15-keys.tsv"));
    }

    @Test
    void fromDetected_tinyCheckpoint_refusesToGuessHeads() throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelConfigs.fromDetected(ArchitectureDetector.detect(file), "tiny.safetensors"));
            assertTrue(e.getMessage().contains("tiny.safetensors") && e.getMessage().contains("pass a config file"), e.getMessage());
        }
    }
}
