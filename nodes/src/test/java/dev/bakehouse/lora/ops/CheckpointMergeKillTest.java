package dev.bakehouse.lora.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.testing.Fixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge killed with SIGKILL half way (no shutdown hook, no finally block runs) leaves no file
 * under the target's name: the bytes so far are in a hidden temp file beside it, which the model
 * folders do not list, and the target appears only by the final move.
 */
class CheckpointMergeKillTest {
    @TempDir
    Path dir;

    @Test
    void merge_killedMidWrite_leavesNoFileUnderTheTargetName() throws Exception {
        Path target = dir.resolve("merged.safetensors");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                MergeChildProcess.class.getName(), Fixtures.file("sd15-tiny/tiny.safetensors").toString(),
                Fixtures.file("sd15-tiny/lora.safetensors").toString(), target.toString(), "500")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals(MergeChildProcess.PAUSED, out.readLine(), "the child must reach the middle of the merge");
            List<Path> partial = parts();
            assertEquals(1, partial.size(), "one temp file while writing: " + partial);
            assertTrue(Files.size(partial.get(0)) > 0, "499 tensors were written before the pause");
            assertFalse(Files.exists(target));

            child.destroyForcibly(); // SIGKILL on POSIX
            assertEquals(137, child.waitFor(), "killed by signal 9");
            assertFalse(Files.exists(target), "a killed merge must leave nothing under the final name");
        } finally {
            child.destroyForcibly();
        }
    }

    private List<Path> parts() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }
}
