package dev.bakehouse.server.user;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.io.AtomicFiles;
import dev.bakehouse.server.files.FileRefusal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of the one user of single-user mode (spec §1.6), {@code <data-dir>/user/default}:
 * saved workflows, settings and whatever else the frontend keeps. Every client-supplied path goes
 * through {@link #resolve}: empty or NUL-carrying paths are 400, absolute paths, {@code ..}
 * segments and symlinks leading out are 403. Listings never follow symlinks.
 */
public final class UserFiles {
    /** The user every request belongs to in single-user mode. */
    public static final String DEFAULT_USER = "default";

    /** A file as {@code full_info} reports it; times in epoch milliseconds, as ComfyUI 0.3.64. */
    public record FileInfo(String path, long size, long modifiedMillis, long createdMillis) {}

    /** A listing entry of {@code /v2/userdata}; size and time are those of files (0 for folders). */
    public record Entry(String name, String path, boolean directory, long size, long modifiedMillis) {}

    private final Path root;

    /** The user folder below a data root, created if missing. */
    public UserFiles(Path dataRoot) {
        this.root = dataRoot.toAbsolutePath().normalize().resolve("user").resolve(DEFAULT_USER);
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the user folder " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    /** A client-supplied relative path inside the user folder (it need not exist). */
    public Path resolve(String relative) throws FileRefusal {
        if (relative == null || relative.isEmpty()) {
            throw new FileRefusal(400, "no user file path given");
        }
        if (relative.indexOf('\0') >= 0) {
            throw new FileRefusal(400, "user file path contains NUL");
        }
        try {
            return DataDirs.resolveInside(root, relative);
        } catch (IllegalArgumentException e) {
            throw new FileRefusal(403, "user file path refused: " + e.getMessage());
        }
    }

    /** The path relative to the user folder, with forward slashes. */
    public String relative(Path inside) {
        return relative(root, inside);
    }

    /**
     * Writes {@code content} to a temporary file beside {@code target} and moves it into place,
     * creating missing folders.
     */
    public void write(Path target, byte[] content) throws FileRefusal, IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileRefusal(400, relative(target) + " is a folder");
        }
        createParents(target);
        AtomicFiles.write(target, content);
    }

    /** Moves a file or folder, replacing an existing file at {@code target}. */
    public void move(Path source, Path target) throws FileRefusal, IOException {
        if (source.equals(target)) {
            return;
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileRefusal(400, relative(target) + " is a folder");
        }
        if (target.startsWith(source)) {
            throw new FileRefusal(400, "cannot move " + relative(source) + " into itself");
        }
        createParents(target);
        AtomicFiles.moveReplacing(source, target);
    }

    /** Creates the missing folders above {@code target}; a file in the way is the client's mistake. */
    private void createParents(Path target) throws FileRefusal, IOException {
        try {
            Files.createDirectories(target.getParent());
        } catch (FileAlreadyExistsException | NotDirectoryException e) {
            throw new FileRefusal(400, "a parent of " + relative(target) + " is a file, not a folder");
        }
    }

    /** Size and times of a file, its path relative to {@code base} (a folder inside the user folder). */
    public FileInfo info(Path file, Path base) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return new FileInfo(relative(base, file), attributes.size(), attributes.lastModifiedTime().toMillis(),
                attributes.creationTime().toMillis());
    }

    /** Regular files below {@code directory} (all depths with {@code recurse}), sorted by path. */
    public List<Path> files(Path directory, boolean recurse) throws IOException {
        try (Stream<Path> found = recurse ? Files.walk(directory) : Files.list(directory)) {
            return found.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    /**
     * Every folder and file below {@code directory}, all depths, folders first, then by
     * case-insensitive name (the order of ComfyUI's {@code /v2/userdata}).
     */
    public List<Entry> entries(Path directory) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> found = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) found.skip(1)::iterator) {
                String name = path.getFileName().toString();
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    entries.add(new Entry(name, relative(path), true, 0, 0));
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    FileInfo info = info(path, root);
                    entries.add(new Entry(name, info.path(), false, info.size(), info.modifiedMillis()));
                }
            }
        }
        entries.sort(Comparator.comparing((Entry e) -> !e.directory())
                .thenComparing(e -> e.name().toLowerCase(java.util.Locale.ROOT)));
        return entries;
    }

    private static String relative(Path base, Path inside) {
        return base.relativize(inside).toString().replace('\\', '/');
    }
}
