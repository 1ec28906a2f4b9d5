package dev.bakehouse.server.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a {@code GET /view} request to a file, applying the path-safety rules of spec §3.8 in
 * their order (404 missing name, 400 bad name or type, 403 subfolder outside the area, 404 no
 * such file), plus two of our own: NUL and backslashes are refused with 400, and a file whose
 * real path (symlinks followed) leaves the area is refused with 403.
 */
public final class ViewResolver {
    private static final Pattern ANNOTATION = Pattern.compile("^(.*) \\[(output|input|temp)]$");

    private final FileAreas areas;

    public ViewResolver(FileAreas areas) {
        this.areas = areas;
    }

    public Path resolve(String filename, String type, String subfolder) throws FileRefusal {
        if (filename == null) {
            throw new FileRefusal(404, "filename missing");
        }
        String areaName = type == null ? "output" : type;
        Matcher annotated = ANNOTATION.matcher(filename);
        if (annotated.matches()) {
            filename = annotated.group(1);
            areaName = annotated.group(2);
        }
        if (filename.isEmpty()) {
            throw new FileRefusal(400, "empty filename");
        }
        if (filename.startsWith("/") || filename.contains("..") || SafePaths.hasForbiddenCharacter(filename)) {
            throw new FileRefusal(400, "filename must be a plain name inside the area: " + filename);
        }
        Optional<Path> area = areas.byType(areaName);
        if (area.isEmpty()) {
            throw new FileRefusal(400, "unknown type " + areaName);
        }
        Path directory = area.get().toAbsolutePath().normalize();
        if (subfolder != null && !subfolder.isEmpty()) {
            if (SafePaths.hasForbiddenCharacter(subfolder)) {
                throw new FileRefusal(400, "subfolder has a forbidden character");
            }
            directory = SafePaths.lexicallyInside(area.get(), subfolder);
            if (directory == null) {
                throw new FileRefusal(403, "subfolder leaves the " + areaName + " area: " + subfolder);
            }
        }
        Path file;
        try {
            file = directory.resolve(Path.of(filename).getFileName().toString());
        } catch (InvalidPathException e) {
            throw new FileRefusal(400, "invalid filename");
        }
        if (!Files.isRegularFile(file)) {
            throw new FileRefusal(404, "no such file " + file);
        }
        try {
            if (!SafePaths.reallyInside(area.get(), file)) {
                throw new FileRefusal(403, "file resolves outside the " + areaName + " area: " + file);
            }
        } catch (IOException e) {
            throw new FileRefusal(404, "cannot resolve " + file);
        }
        return file;
    }
}
