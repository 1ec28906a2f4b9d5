package dev.bakehouse.node.gachamax;

import dev.bakehouse.io.AtomicFiles;
import dev.bakehouse.node.DataDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The dataset versions of a loop, as folders under {@code datasets/gachamax/<loop>/v<N>}. A
 * version is written once, copy-on-write: version 1 copies the user's dataset, version N+1
 * copies version N less the dropped images plus the picked candidates (each with its caption).
 * Nothing ever writes into the user's folder or into an existing version. A version is built in a
 * temporary sibling folder and moved into place, so a crash leaves either no version or a whole one.
 */
final class DatasetVersions {
    static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".webp", ".bmp");

    private final DataDirs dirs;

    DatasetVersions(DataDirs dirs) {
        this.dirs = dirs;
    }

    /** The loop's folder under the datasets folder. */
    Path loopFolder(String loop) {
        return dirs.datasets().resolve("gachamax").resolve(LoopRecord.checkName(loop));
    }

    /** {@code gachamax/<loop>/v<N>}: the version's name for LoadDataset, relative to the datasets folder. */
    static String name(String loop, int version) {
        return "gachamax/" + loop + "/v" + version;
    }

    /** Version 1: a copy of every file below {@code source}. */
    DatasetVersionRecord first(String loop, Path source) {
        Path target = loopFolder(loop).resolve("v1");
        build(target, tmp -> copyTree(source, tmp, Set.of()));
        return new DatasetVersionRecord(loop, 1, target.toString(), 0, images(target), List.of(), List.of());
    }

    /**
     * The version after {@code previous}: its files less {@code drops} (each image with its caption
     * and other files of the same stem), plus each picked candidate copied from the output folder
     * with its caption, into the folder of the first image concept ({@code N_name}).
     *
     * @throws IllegalArgumentException if a drop is not an image of {@code previous}
     */
    DatasetVersionRecord next(DatasetVersionRecord previous, List<CandidateRecord> picks, List<String> drops,
                              String captionExtension) {
        Path from = Path.of(previous.folder());
        for (String drop : drops) {
            if (!previous.images().contains(drop)) {
                throw new IllegalArgumentException("GACHAMAX " + previous.loop() + ": cannot drop '" + drop
                        + "': dataset version " + previous.version() + " holds " + previous.images());
            }
        }
        Set<String> droppedStems = new HashSet<>();
        drops.forEach(d -> droppedStems.add(stem(d)));
        String concept = previous.images().stream().map(i -> i.contains("/") ? i.substring(0, i.indexOf('/')) : "")
                .findFirst().orElseThrow(() -> new IllegalStateException("GACHAMAX " + previous.loop()
                        + ": dataset version " + previous.version() + " has no image to learn from"));
        int version = previous.version() + 1;
        Path target = loopFolder(previous.loop()).resolve("v" + version);
        List<String> added = new ArrayList<>();
        build(target, tmp -> {
            copyTree(from, tmp, droppedStems);
            for (CandidateRecord pick : picks) {
                Path image = dirs.output().resolve(pick.file());
                String name = String.format(Locale.ROOT, "gachamax-r%d-c%02d", pick.round(), pick.index());
                String relative = (concept.isEmpty() ? "" : concept + "/") + name + extension(pick.file());
                Path dest = tmp.resolve(relative);
                Files.createDirectories(dest.getParent());
                Files.copy(image, dest);
                Files.writeString(dest.resolveSibling(name + captionExtension), pick.caption(), StandardCharsets.UTF_8);
                added.add(relative);
            }
        });
        return new DatasetVersionRecord(previous.loop(), version, target.toString(), previous.version(), images(target),
                added, drops);
    }

    @FunctionalInterface
    private interface Fill {
        void into(Path folder) throws IOException;
    }

    /** Fills a fresh temporary folder and moves it onto {@code target} (replacing a version a crash left). */
    private static void build(Path target, Fill fill) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            fill.into(tmp);
            if (Files.exists(target)) {
                // a version folder whose store row was never written (the process died in between):
                // rebuilt from the same inputs, so the replacement holds the same files
                deleteTree(target);
            }
            AtomicFiles.moveReplacing(tmp, target);
        } catch (IOException e) {
            try {
                deleteTree(tmp);
            } catch (IOException ignored) {
                // the write error below is the one to report
            }
            throw new UncheckedIOException("GACHAMAX: cannot write dataset version " + target + ": " + e.getMessage(), e);
        }
    }

    private static void copyTree(Path from, Path to, Set<String> skipStems) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IOException("the dataset folder " + from + " does not exist");
        }
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && dir.getFileName().toString().startsWith(".")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(relative(from, dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = relative(from, file);
                if (!file.getFileName().toString().startsWith(".") && !skipStems.contains(stem(rel))) {
                    Files.copy(file, to.resolve(rel), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The images below {@code folder}, relative with '/', sorted. */
    static List<String> images(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(DatasetVersions::isImage).map(p -> relative(folder, p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return IMAGE_EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static String relative(Path base, Path file) {
        return base.relativize(file).toString().replace('\\', '/');
    }

    private static String stem(String relative) {
        int dot = relative.lastIndexOf('.');
        return dot > relative.lastIndexOf('/') ? relative.substring(0, dot) : relative;
    }

    private static String extension(String file) {
        int dot = file.lastIndexOf('.');
        return dot > file.lastIndexOf('/') ? file.substring(dot) : "";
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
