package dev.bakehouse.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Scratch folders for tests that rewrite small files thousands of times (fuzzers): on tmpfs
 * ({@code /dev/shm}) where the machine has one, since on a journalling disk each rewrite costs a
 * millisecond; elsewhere inside the test's own temp folder.
 */
public final class ScratchDirs {
    private ScratchDirs() {}

    public static Path memoryBacked(Path fallbackParent) throws IOException {
        Path shm = Path.of("/dev/shm");
        Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : fallbackParent;
        return Files.createTempDirectory(parent, "bakehouse-scratch");
    }

    /** Deletes a folder made by {@link #memoryBacked} with everything in it. */
    public static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
