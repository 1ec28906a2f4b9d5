package dev.bakehouse.node.sd;

import dev.bakehouse.model.tokenizer.EmbeddingLookup;
import dev.bakehouse.model.tokenizer.TextualInversion;
import dev.bakehouse.node.DataDirs;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The textual-inversion embeddings a prompt may name, found as ComfyUI's {@code load_embed} finds
 * them: in every embeddings folder ({@code models/embeddings}, then those of extra installs, as
 * {@code /embeddings} lists them) and every folder below one, {@code name} is tried as a file
 * name, then with {@code .safetensors}, {@code .pt} and {@code .bin} appended; the first hit wins.
 * ComfyUI searches the folders in no fixed order; here a folder's own files come before its
 * sub-folders', shallower before deeper, then by name, so the same prompt always picks the same
 * file. Each file is read once per version ({@link ModelCache#embedding}).
 */
public final class Embeddings {
    private static final List<String> EXTENSIONS = List.of(".safetensors", ".pt", ".bin");

    private final DataDirs dirs;
    private final ModelCache cache;

    public Embeddings(DataDirs dirs, ModelCache cache) {
        this.dirs = Objects.requireNonNull(dirs, "dirs");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    /**
     * The lookup for a text encoder {@code width} wide; it throws {@link IllegalArgumentException}
     * for a file of vectors of another width (naming the file and both widths) or a file that is
     * not an embedding.
     */
    public EmbeddingLookup forWidth(int width) {
        return name -> file(name).map(f -> checkWidth(cache.embedding(FileVersion.of(f)), width));
    }

    /** The file {@code embedding:<name>} refers to, if any folder has it. */
    public Optional<Path> file(String name) {
        for (Path root : dirs.modelDirs(DataDirs.EMBEDDINGS)) {
            for (Path dir : foldersFrom(root)) {
                for (String candidate : candidates(name)) {
                    Optional<Path> found = regularFileInside(dir, candidate);
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> candidates(String name) {
        List<String> names = new ArrayList<>();
        names.add(name);
        EXTENSIONS.forEach(ext -> names.add(name + ext));
        return names;
    }

    private static Optional<Path> regularFileInside(Path dir, String name) {
        try {
            Path file = DataDirs.resolveInside(dir, name);
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // empty, absolute or leading out of the folder: ComfyUI skips it too
        }
    }

    /** {@code root} and every folder below it (links followed, as ComfyUI's walk does). */
    private static List<Path> foldersFrom(Path root) {
        List<Path> folders = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            folders.add(dir);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE; // a link loop or an unreadable folder holds nothing we can load
                        }
                    });
        } catch (IOException e) {
            return List.of(root);
        }
        folders.sort(Comparator.comparingInt(Path::getNameCount).thenComparing(Path::toString));
        return folders;
    }

    private static TextualInversion checkWidth(TextualInversion embedding, int width) {
        if (embedding.width() != width) {
            throw new IllegalArgumentException("embedding " + embedding.file() + " ('" + embedding.tensor()
                    + "') has vectors of width " + embedding.width() + " but this text encoder is " + width
                    + " wide (SD1 and SDXL's clip_l: 768, SD2: 1024, SDXL's clip_g: 1280)");
        }
        return embedding;
    }
}
