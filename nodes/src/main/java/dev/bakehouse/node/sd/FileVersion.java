package dev.bakehouse.node.sd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * A file as of one modification (path, mtime, size): the key of the model caches, so a replaced
 * file is read again while an unchanged one is not.
 */
public record FileVersion(Path file, FileTime modified, long size) {

    /** The file's attributes now; the error names the file. */
    public static FileVersion of(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            BasicFileAttributes attrs = Files.readAttributes(absolute, BasicFileAttributes.class);
            return new FileVersion(absolute, attrs.lastModifiedTime(), attrs.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + absolute + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return file.getFileName() + " (" + size + " bytes, modified " + modified + ")";
    }
}
