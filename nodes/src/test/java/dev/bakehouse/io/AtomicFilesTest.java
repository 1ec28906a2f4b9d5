package dev.bakehouse.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void write_replacesTargetAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("sub/out.bin");
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        AtomicFiles.write(target, new byte[] {4, 5});
        assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void failedWrite_keepsTheOldTargetAndRemovesTheTempFile() throws IOException {
        Path target = dir.resolve("out.bin");
        AtomicFiles.write(target, new byte[] {7});
        assertThrows(IOException.class, () -> AtomicFiles.write(target, ch -> {
            throw new IOException("disk full");
        }));
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void writtenFile_isReadableByOthersLikeAnyUserFile() throws IOException {
        Path target = dir.resolve("image.png");
        AtomicFiles.write(target, new byte[] {1});
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(target);
        assertTrue(perms.contains(PosixFilePermission.OWNER_WRITE), perms::toString);
        assertTrue(perms.contains(PosixFilePermission.OTHERS_READ) || umaskDeniesOthersRead(), perms::toString);
    }

    /** A umask of 0027/0077 legitimately strips others' read; the check then has nothing to say. */
    private boolean umaskDeniesOthersRead() throws IOException {
        Path probe = Files.createFile(dir.resolve("probe"));
        return !Files.getPosixFilePermissions(probe).contains(PosixFilePermission.OTHERS_READ);
    }
}
