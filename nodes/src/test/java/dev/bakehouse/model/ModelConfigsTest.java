package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import org.junit.jupiter.api.Test;

class ModelConfigsTest {
    @Test
    void fromLdmJson_fixtureConfig_equalsTinyPreset() throws Exception {
        assertEquals(ModelConfig.tiny(), ModelConfigs.fromLdmJson(Fixtures.file("sd15-tiny/config.json")));
    }

    @Test
    void inferSd1_sd15KeyShapes_equalsSd15Preset() {
        assertEquals(ModelConfig.sd15(), ModelConfigs.inferSd1(SyntheticWeights.sd15(1)));
    }

    @Test
    void inferSd1_tinyCheckpoint_refusesToGuessHeads() throws Exception {
        try (SafetensorsFile file = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelConfigs.inferSd1(new TensorSourceWeights(file)));
            assertTrue(e.getMessage().contains("context_dim 32") && e.getMessage().contains("config file"), e.getMessage());
        }
    }
}
