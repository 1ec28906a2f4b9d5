package dev.bakehouse.lora.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bakehouse.testing.Fixtures;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every kohya module of the reference lists maps from its single-file key, and nothing else does. */
class KohyaModuleNamesTest {
    @Test
    void of_everySd15Module_matchesReferenceList() throws Exception {
        checkAgainst("sd15-lora-modules.tsv", "sd15-keys.tsv");
    }

    @Test
    void of_everyTinyModule_matchesReferenceList() throws Exception {
        checkAgainst("sd15-tiny/lora-modules.tsv", null);
    }

    private static void checkAgainst(String modules, String keys) throws Exception {
        List<String[]> rows = Files.readAllLines(Fixtures.file(modules)).stream().skip(1).map(l -> l.split("\t")).toList();
        for (String[] row : rows) {
            assertEquals(Optional.of(row[0]), KohyaModuleNames.of(row[1], 2), row[1]);
        }
        if (keys != null) {
            List<String> targets = rows.stream().map(r -> r[1]).toList();
            long others = Files.readAllLines(Fixtures.file(keys)).stream().map(l -> l.split("\t")[0])
                    .filter(k -> !targets.contains(k))
                    .filter(k -> KohyaModuleNames.of(k, 2).isPresent())
                    .peek(k -> System.out.println("unexpected module for " + k + ": " + KohyaModuleNames.of(k, 2)))
                    .count();
            assertEquals(0, others, "keys outside the module list that map to a module name");
        }
    }
}
