package dev.bakehouse.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata finished after the data ({@link SafetensorsWriter#write(Path, java.util.function.Supplier)}). */
class SafetensorsLateMetadataTest {
    @TempDir
    Path dir;

    private static SafetensorsWriter writer() {
        return new SafetensorsWriter().metadata(Map.of("hash", "0".repeat(64), "kept", "as is"))
                .addFloats("a", DType.F32, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                .addFloats("b", DType.F16, new long[] {4}, new float[] {0.5f, -1, 2, 8});
    }

    @Test
    void write_finalMetadataOfSameWidth_replacesThePlaceholders_andKeepsTheData() throws Exception {
        Path file = dir.resolve("late.safetensors");
        String hash = "0123456789abcdef".repeat(4);
        writer().write(file, () -> Map.of("hash", hash));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(hash, f.metadata().get("hash"));
            assertEquals("as is", f.metadata().get("kept"));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, f.readFloats("a"));
            assertArrayEquals(new float[] {0.5f, -1, 2, 8}, f.readFloats("b"));
        }
    }

    @Test
    void write_finalMetadataOfAnotherWidth_failsAndLeavesNoFile() throws Exception {
        Path file = dir.resolve("late.safetensors");
        TensorFileException e = assertThrows(TensorFileException.class,
                () -> writer().write(file, () -> Map.of("hash", "a much longer value than the 64 characters of the placeholder, "
                        + "which cannot fit the header that was written first")));
        assertTrue(e.getMessage().contains("header's length"), e.getMessage());
        assertFalse(Files.exists(file));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "the temp file is removed too");
        }
    }
}
