package dev.bakehouse.node.train;

import dev.bakehouse.node.DataDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** The dataset folders under {@code datasets/} and the fingerprint of one. */
final class DatasetFolders {
    private DatasetFolders() {}

    /** Folder names directly under the datasets folder, sorted. */
    static List<String> list(DataDirs dirs) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dirs.datasets())) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry)) {
                    names.add(entry.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the datasets folder " + dirs.datasets() + ": " + e.getMessage(), e);
        }
        names.sort(null);
        return names;
    }

    /** The dataset folder of that name; the error names the input, the name and where it looked. */
    static Path resolve(DataDirs dirs, String name) {
        Path folder = DataDirs.resolveInside(dirs.datasets(), name);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("dataset: no folder '" + name + "' in " + dirs.datasets());
        }
        return folder;
    }

    /**
     * A hash of every file below {@code folder}: relative name, size and modification time, in
     * name order, so adding, removing, replacing or touching an image or caption changes it.
     */
    static String fingerprint(Path folder) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            for (Path file : files) {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                String line = folder.relativize(file).toString().replace('\\', '/') + '\t' + attrs.size() + '\t'
                        + attrs.lastModifiedTime().toMillis() + '\n';
                sha.update(line.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("cannot read the dataset folder " + folder + ": " + e.getMessage(),
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
