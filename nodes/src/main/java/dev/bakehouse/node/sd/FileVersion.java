package dev.bakehouse.node.sd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/**
 * A file as of one modification (path, mtime, size): the key of the model caches, so a replaced
 * file is read again while an unchanged one is not. A model folder (diffusers) counts as its files:
 * the latest mtime and the total size of everything in it, so replacing any component counts.
 */
public record FileVersion(Path file, FileTime modified, long size) {

    /** The file's (or folder's) attributes now; the error names the file. */
    public static FileVersion of(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            if (Files.isDirectory(absolute)) {
                return ofFolder(absolute);
            }
            BasicFileAttributes attrs = Files.readAttributes(absolute, BasicFileAttributes.class);
            return new FileVersion(absolute, attrs.lastModifiedTime(), attrs.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + absolute + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) { // from walking a folder
            throw new UncheckedIOException("cannot read " + absolute + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static FileVersion ofFolder(Path folder) throws IOException {
        FileTime latest = Files.getLastModifiedTime(folder);
        long total = 0;
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                BasicFileAttributes attrs = Files.readAttributes(f, BasicFileAttributes.class);
                if (attrs.isRegularFile()) {
                    total += attrs.size();
                    latest = attrs.lastModifiedTime().compareTo(latest) > 0 ? attrs.lastModifiedTime() : latest;
                }
            }
        }
        return new FileVersion(folder, latest, total);
    }

    @Override
    public String toString() {
        return file.getFileName() + " (" + size + " bytes, modified " + modified + ")";
    }
}
