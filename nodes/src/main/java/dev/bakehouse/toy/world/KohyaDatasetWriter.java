package dev.bakehouse.toy.world;

import dev.bakehouse.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Writes generated images as a kohya DreamBooth-style folder: {@code <repeats>_<name>/img_0001.png}
 * with its caption in {@code img_0001.txt}. The folder is filled under a temporary name and
 * moved into place once complete, so a reader sees all of it or none.
 */
public final class KohyaDatasetWriter {
    private final WorldGenerator generator;

    public KohyaDatasetWriter(WorldGenerator generator) {
        this.generator = generator;
    }

    /**
     * Writes {@code count} images of {@code kind}, image i drawn from seed {@code seed + i}, into
     * {@code parent/<repeats>_<name>}, which must not exist yet. Returns that folder.
     */
    public Path write(Path parent, String name, int repeats, int count, long seed, SceneKind kind) throws IOException {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        if (count < 1 || count > 9999) {
            throw new IllegalArgumentException("image count must be 1..9999, got " + count);
        }
        if (name.isBlank() || !name.equals(name.strip()) || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("dataset name '" + name
                    + "' must be one folder-name part without slashes or surrounding spaces");
        }
        Path target = parent.resolve(repeats + "_" + name);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "dataset folder already exists");
        }
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + repeats + "_" + name + ".");
        try {
            for (int i = 0; i < count; i++) {
                WorldImage image = generator.generate(seed + i, kind);
                String stem = String.format("img_%04d", i + 1);
                AtomicFiles.write(staging.resolve(stem + ".png"), png(image));
                AtomicFiles.write(staging.resolve(stem + ".txt"), image.caption().getBytes(StandardCharsets.UTF_8));
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, target);
            }
            return target;
        } finally {
            deleteTree(staging);
        }
    }

    private static byte[] png(WorldImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image.image(), "png", out)) {
            throw new IllegalStateException("no PNG writer in this JVM");
        }
        return out.toByteArray();
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove " + p, e);
                }
            });
        }
    }
}
