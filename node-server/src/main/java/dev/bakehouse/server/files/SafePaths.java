package dev.bakehouse.server.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Confinement checks shared by downloads and uploads. Not {@code DataDirs.resolveInside}, which
 * answers all-or-nothing with an exception: the spec (§3.8, §3.9) gives each step its own status
 * (a bad name 400, a subfolder outside 403, a missing file 404) and an upload's subfolder may not
 * exist yet, so the lexical and the symlink-following checks are separate steps here.
 */
final class SafePaths {
    private SafePaths() {}

    /** True for names that no file request may carry: NUL, backslashes (Windows separators). */
    static boolean hasForbiddenCharacter(String value) {
        return value.indexOf('\0') >= 0 || value.indexOf('\\') >= 0;
    }

    /**
     * Resolves {@code relative} below {@code root} lexically; null when the result leaves the root
     * (absolute paths, {@code ..}) or is not a valid path.
     */
    static Path lexicallyInside(Path root, String relative) {
        try {
            Path base = root.toAbsolutePath().normalize();
            Path resolved = base.resolve(relative).normalize();
            return resolved.startsWith(base) ? resolved : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * True when the existing path, with every symlink followed, is still inside the root (with its
     * symlinks followed too). A symlink inside the area that points elsewhere fails this.
     */
    static boolean reallyInside(Path root, Path existing) throws IOException {
        Path realRoot = root.toRealPath();
        return existing.toRealPath().startsWith(realRoot);
    }

    static boolean isRegularFileNoFollow(Path path) {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }
}
