package dev.bakehouse.node.gachamax;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.SafetensorsWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraLineageTest {
    @TempDir
    Path dir;

    @Test
    void writeCopy_addsLineageKeepsTensorsAndMetadata_andReadsBack() throws Exception {
        Path trained = dir.resolve("trained.safetensors");
        new SafetensorsWriter().addFloats("lora_unet_x.lora_down.weight", DType.F32, new long[] {2, 2},
                        new float[] {1, 2, 3, 4})
                .metadata(Map.of("ss_network_dim", "2", "sshs_model_hash", "feed")).write(trained);
        LoraLineage lineage = new LoraLineage("kiki", 2, "beef", 2, List.of("aa", "bb"), List.of(100_001L, 100_004L));

        String hash = lineage.writeCopy(trained, dir.resolve("copy.safetensors"));

        assertEquals("feed", hash);
        try (SafetensorsFile copy = SafetensorsFile.open(dir.resolve("copy.safetensors"))) {
            assertArrayEquals(new float[] {1, 2, 3, 4}, copy.readFloats("lora_unet_x.lora_down.weight"));
            assertEquals("2", copy.metadata().get("ss_network_dim"));
            assertEquals("beef", copy.metadata().get(LoraLineage.PARENT));
            assertEquals("[\"aa\",\"bb\"]", copy.metadata().get(LoraLineage.PICKED_IMAGES));
            assertEquals("[100001,100004]", copy.metadata().get(LoraLineage.SEEDS));
            assertEquals(lineage, LoraLineage.of(copy.metadata()).orElseThrow());
        }
    }

    @Test
    void roundOne_hasEmptyParent_andMetadataWithoutLineageReadsAsNone() {
        LoraLineage first = new LoraLineage("kiki", 1, null, 1, List.of(), List.of());
        assertEquals("", first.metadata().get(LoraLineage.PARENT));
        assertEquals(first, LoraLineage.of(first.metadata()).orElseThrow());
        assertTrue(LoraLineage.of(Map.of("ss_network_dim", "4")).isEmpty());
    }

    @Test
    void of_brokenLineage_failsNamingTheKeys() {
        Map<String, String> broken = new java.util.HashMap<>(new LoraLineage("k", 1, null, 1, List.of(), List.of()).metadata());
        broken.put(LoraLineage.SEEDS, "not json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoraLineage.of(broken));
        assertTrue(e.getMessage().startsWith("GACHAMAX lineage metadata: expected"), e.getMessage());
    }
}
