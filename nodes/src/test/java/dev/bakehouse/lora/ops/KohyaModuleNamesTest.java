package dev.bakehouse.lora.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bakehouse.tensor.sd.UNetKeyMap;
import dev.bakehouse.testing.Fixtures;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every kohya module of the reference lists is named from the single-file key it modifies. */
class KohyaModuleNamesTest {
    /** SD1.x and the tiny fixture: 4 levels, 2 res blocks, attention on the first three levels. */
    private static final KohyaModuleNames SD1 = new KohyaModuleNames(UNetKeyMap.of(4, 2, Set.of(0, 1, 2)));

    @Test
    void of_everySd15Module_matchesReferenceList() throws Exception {
        checkAgainst("sd15-lora-modules.tsv", 350);
    }

    @Test
    void of_everyTinyModule_matchesReferenceList() throws Exception {
        checkAgainst("sd15-tiny/lora-modules.tsv", 290);
    }

    @Test
    void of_keysOutsideModelParts_haveNoModule() {
        assertEquals(Optional.empty(), SD1.of("first_stage_model.decoder.conv_in.weight"));
        assertEquals(Optional.empty(), SD1.of("model.diffusion_model.input_blocks.1.1.proj_in.bias"));
    }

    private static void checkAgainst(String modules, int expectedRows) throws Exception {
        List<String[]> rows = Files.readAllLines(Fixtures.file(modules)).stream().skip(1).map(l -> l.split("\t")).toList();
        assertEquals(expectedRows, rows.size());
        for (String[] row : rows) {
            assertEquals(Optional.of(row[0]), SD1.of(row[1]), row[1]);
        }
    }
}
