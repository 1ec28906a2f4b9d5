package dev.bakehouse.lora.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bakehouse.testing.KeyTables;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KohyaBlocksTest {

    @Test
    void everyModuleOfTheSd15AndSdxlTables_getsItsLbwBlock() throws Exception {
        for (String table : new String[] {"sd15-lora-modules.tsv", "sdxl-lora-modules.tsv"}) {
            for (Map<String, String> row : KeyTables.rows(table)) {
                assertEquals(row.get("lbw_block"), KohyaBlocks.blockOf(row.get("lora_name")), row.get("lora_name"));
            }
        }
    }

    @Test
    void unknownNames_areMarked() {
        assertEquals("?", KohyaBlocks.blockOf("lora_unet_conv_in"));
    }
}
