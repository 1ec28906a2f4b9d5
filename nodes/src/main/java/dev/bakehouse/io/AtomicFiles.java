package dev.bakehouse.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes that a reader never sees half done: a temp file in the target's folder, forced to disk,
 * then moved onto the target (atomically where the file system allows). On any failure the temp
 * file is removed and the target is left as it was. The one such helper for every layer: tensor
 * files, saved images, uploads and user files all write through it.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** What fills the temp file. */
    @FunctionalInterface
    public interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Replaces (or creates) {@code target} with what {@code body} writes; creates its folder if missing. */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = createTemp(dir, abs);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.writeTo(ch);
                ch.force(true);
            }
            moveReplacing(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A temp file readable like any file the user creates (rw-r--r--, less the umask):
     * {@code createTempFile} alone makes it owner-only, and the move would carry that onto saved
     * images and models that other programs (a web server, a second user) need to read.
     */
    private static Path createTemp(Path dir, Path target) throws IOException {
        String prefix = "." + target.getFileName();
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(dir, prefix, ".part",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        }
        return Files.createTempFile(dir, prefix, ".part");
    }

    /** Writes {@code image} as a PNG through a temp file and a move (training samples, loss charts). */
    public static void writePng(Path target, java.awt.image.RenderedImage image) throws IOException {
        write(target, ch -> {
            if (!javax.imageio.ImageIO.write(image, "png", java.nio.channels.Channels.newOutputStream(ch))) {
                throw new IOException("the JDK has no PNG writer for this image");
            }
        });
    }

    /** Replaces (or creates) {@code target} with {@code content}. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, ch -> {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
        });
    }

    /** Moves a finished file into place, atomically where the file system can, replacing the target. */
    public static void moveReplacing(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
