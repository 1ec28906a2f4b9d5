package dev.bakehouse.train.run;

import dev.bakehouse.testing.SharedResources;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a trainer test class shares: the tiny model ({@link TinyTrainingRun}) opened once, a
 * generated {@code 5_kiki} dataset of two images, and a fresh output folder per test.
 */
abstract class TinyRunTest {
    @TempDir
    static Path shared;
    @TempDir
    Path out;

    static TinyTrainingRun tiny;
    static Path data;

    @BeforeAll
    static void openTinyRun() throws Exception {
        tiny = new TinyTrainingRun();
        data = TinyTrainingRun.dataset(shared.resolve("train"), "5_kiki", 2);
    }

    @AfterAll
    static void closeTinyRun() throws Exception {
        SharedResources.close(tiny);
    }
}
