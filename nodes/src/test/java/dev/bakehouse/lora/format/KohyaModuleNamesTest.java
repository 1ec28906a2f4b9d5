package dev.bakehouse.lora.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.sd.ShapeIndex;
import dev.bakehouse.tensor.sd.UNetKeyMap;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.KeyTables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KohyaModuleNamesTest {

    @Test
    void sd15Keys_giveExactlyTheModulesOfTheFixtureTable() throws Exception {
        List<LoraTarget> targets = KohyaModuleNames.enumerate(new ShapeIndex(null, KeyTables.shapes("sd15-keys.tsv")));
        assertSameRows(KeyTables.rows("sd15-lora-modules.tsv"), targets, false);
    }

    @Test
    void tinyCheckpoint_givesTheModulesOfItsTable() throws Exception {
        try (SafetensorsFile f = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            List<LoraTarget> targets = KohyaModuleNames.enumerate(ShapeIndex.of(f));
            assertEquals(290, targets.size());
            assertSameRows(KeyTables.rows("sd15-tiny/lora-modules.tsv"), targets, false);
        }
    }

    @Test
    void sdxlKeys_giveTheSdxlTableWithSplitOpenClipRows() throws Exception {
        List<LoraTarget> targets = KohyaModuleNames.enumerate(new ShapeIndex(null, KeyTables.shapes("sdxl-keys.tsv")));
        assertSameRows(KeyTables.rows("sdxl-lora-modules.tsv"), targets, true);
    }

    @Test
    void of_everySd15AndTinyModule_isNamedFromTheWeightItModifies() throws Exception {
        KohyaModuleNames sd1 = new KohyaModuleNames(UNetKeyMap.of(4, 2, Set.of(0, 1, 2)), false);
        for (String table : new String[] {"sd15-lora-modules.tsv", "sd15-tiny/lora-modules.tsv"}) {
            for (Map<String, String> row : KeyTables.rows(table)) {
                assertEquals(Optional.of(row.get("lora_name")), sd1.of(row.get("ldm_key")), row.get("ldm_key"));
            }
        }
    }

    @Test
    void of_keysOutsideModelParts_haveNoModule() {
        KohyaModuleNames sd1 = new KohyaModuleNames(UNetKeyMap.of(4, 2, Set.of(0, 1, 2)), false);
        assertEquals(Optional.empty(), sd1.of("first_stage_model.decoder.conv_in.weight"));
        assertEquals(Optional.empty(), sd1.of("model.diffusion_model.input_blocks.1.1.proj_in.bias"));
    }

    /** Compares every column the tables share, keyed by module name. */
    private static void assertSameRows(List<Map<String, String>> expectedRows, List<LoraTarget> targets, boolean sdxl) {
        Map<String, String> expected = new TreeMap<>();
        for (Map<String, String> r : expectedRows) {
            expected.put(r.get("lora_name"), describe(r.get(sdxl ? "ckpt_key" : "ldm_key"), sdxl ? r.get("rows") : "-",
                    r.get("kind"), r.get("in_dim"), r.get("out_dim"), r.get("stride"), r.get("lbw_block"),
                    r.get("created_by"), r.get("rank_from")));
        }
        Map<String, String> actual = new TreeMap<>();
        for (LoraTarget t : targets) {
            String rows = t.rowStart() < 0 ? "-" : t.rowStart() + ":" + t.rowEnd();
            actual.put(t.loraName(), describe(t.checkpointKey(), rows, t.kind().label(), "" + t.inDim(), "" + t.outDim(),
                    "" + t.stride(), t.lbwBlock().id(), t.createdBy(), t.rankFrom()));
        }
        assertEquals(expected.size(), actual.size(), "module count");
        Map<String, String> diff = new LinkedHashMap<>();
        expected.forEach((k, v) -> {
            if (!v.equals(actual.get(k))) {
                diff.put(k, "expected " + v + " got " + actual.get(k));
            }
        });
        assertEquals(Map.of(), diff);
    }

    private static String describe(String... cols) {
        return String.join(" | ", cols);
    }
}
