package dev.bakehouse.node.gachamax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.testing.TinyDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetVersionsTest {
    @TempDir
    Path root;

    @Test
    void versions_copyOnWrite_addPicksWithCaptionsDropImagesAndLeaveEarlierVersionsAlone() throws Exception {
        DataDirs dirs = DataDirs.of(root);
        Path source = TinyDataset.write(dirs.datasets().resolve("mine"), "10_kiki", 2);
        Path candidate = dirs.output().resolve("gachamax/loop/r1/c03.png");
        Files.createDirectories(candidate.getParent());
        Files.copy(source.resolve("10_kiki/img_00.png"), candidate);
        DatasetVersions versions = new DatasetVersions(dirs);

        DatasetVersionRecord v1 = versions.first("loop", source);
        CandidateRecord pick = new CandidateRecord(7, "loop", 1, 3, "kiki, ring", 100_003, "gachamax/loop/r1/c03.png",
                "h", null, true, "kiki, ring, edited");
        DatasetVersionRecord v2 = versions.next(v1, List.of(pick), List.of("10_kiki/img_01.png"), ".txt");

        assertEquals(List.of("10_kiki/img_00.png", "10_kiki/img_01.png"), v1.images());
        assertEquals(dirs.datasets().resolve("gachamax/loop/v1").toString(), v1.folder());
        assertEquals(List.of("10_kiki/gachamax-r1-c03.png", "10_kiki/img_00.png"), v2.images());
        assertEquals(List.of("10_kiki/gachamax-r1-c03.png"), v2.added());
        assertEquals(List.of("10_kiki/img_01.png"), v2.dropped());
        assertEquals(1, v2.parent());
        Path v2Folder = Path.of(v2.folder());
        assertEquals("kiki, ring, edited", Files.readString(v2Folder.resolve("10_kiki/gachamax-r1-c03.txt")));
        assertFalse(Files.exists(v2Folder.resolve("10_kiki/img_01.txt")), "a dropped image's caption goes with it");
        assertTrue(Files.exists(Path.of(v1.folder()).resolve("10_kiki/img_01.png")), "version 1 keeps its files");
        assertTrue(Files.exists(source.resolve("10_kiki/img_01.png")), "the user's folder keeps its files");
        try (var left = Files.list(Path.of(v1.folder()).getParent())) {
            assertEquals(2, left.count(), "no temporary folder is left");
        }
    }

    @Test
    void next_dropNotInVersion_failsNamingTheImageAndTheVersion() throws Exception {
        DataDirs dirs = DataDirs.of(root);
        Path source = TinyDataset.write(dirs.datasets().resolve("mine"), "1_kiki", 1);
        DatasetVersions versions = new DatasetVersions(dirs);
        DatasetVersionRecord v1 = versions.first("loop", source);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> versions.next(v1, List.of(), List.of("1_kiki/nope.png"), ".txt"));

        assertEquals("GACHAMAX loop: cannot drop '1_kiki/nope.png': dataset version 1 holds [1_kiki/img_00.png]",
                e.getMessage());
    }

    @Test
    void loopName_withPathCharacters_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DatasetVersions(DataDirs.of(root)).loopFolder("../escape"));
        assertTrue(e.getMessage().contains("found '../escape'"), e.getMessage());
    }
}
