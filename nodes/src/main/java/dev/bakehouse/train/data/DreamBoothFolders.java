package dev.bakehouse.train.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * kohya's DreamBooth folder convention: every directory directly under {@code train_data_dir}
 * (then {@code reg_data_dir}) named {@code N_name} is a subset repeated N times with class
 * tokens {@code name}. N is read as Python's {@code int()} would (whitespace, sign, leading zeros
 * accepted); a name whose prefix is not an integer is skipped with kohya's warning, a count
 * below 1 silently. Unlike kohya, which takes the file system's order, folders are sorted by
 * name so that the subset order (and everything derived from it) is reproducible.
 */
public final class DreamBoothFolders {
    private DreamBoothFolders() {}

    /** The subsets found, train folders first; kohya's warnings are appended to {@code warnings}. */
    public static List<SubsetFolder> scan(Path trainDataDir, Path regDataDir, List<String> warnings) throws IOException {
        List<SubsetFolder> out = new ArrayList<>(scan(trainDataDir, false, warnings));
        out.addAll(scan(regDataDir, true, warnings));
        return out;
    }

    private static List<SubsetFolder> scan(Path base, boolean isReg, List<String> warnings) throws IOException {
        List<SubsetFolder> out = new ArrayList<>();
        if (base == null || !Files.isDirectory(base)) {
            return out;
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
            for (Path p : entries) {
                if (Files.isDirectory(p)) {
                    dirs.add(p);
                }
            }
        }
        dirs.sort((a, b) -> PythonText.compareCodePoints(a.getFileName().toString(), b.getFileName().toString()));
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            List<String> tokens = PythonText.split(name, "_");
            Long repeats = PythonText.parseInt(tokens.get(0));
            if (repeats == null) {
                warnings.add("ignore directory without repeats: " + name);
                continue;
            }
            if (repeats < 1) {
                continue;
            }
            String classTokens = String.join("_", tokens.subList(1, tokens.size()));
            out.add(new SubsetFolder(dir, (int) Math.min(Integer.MAX_VALUE, repeats), classTokens, isReg));
        }
        return out;
    }

    /** A caption as kohya reads it (first line, stripped) and the file it came from. */
    public record Caption(Path file, String text) {}

    /** The images of one subset folder, as kohya globs them (hidden files skipped), in name order. */
    public static List<Path> images(Path subsetDir) throws IOException {
        return CaptionFiles.globImages(subsetDir);
    }

    /**
     * The caption kohya would read for {@code image}, or null when it has no caption file.
     *
     * @throws IOException naming the file when it is empty, not UTF-8 or unreadable
     */
    public static Caption caption(Path image, String captionExtension) throws IOException {
        CaptionFiles.Found found = CaptionFiles.read(image, captionExtension, false);
        return found == null ? null : new Caption(found.file(), found.caption());
    }

    /** The caption file of {@code image} when it has none yet: its name with {@code captionExtension}. */
    public static Path newCaptionFile(Path image, String captionExtension) {
        return CaptionFiles.candidates(image, captionExtension).get(0);
    }
}
