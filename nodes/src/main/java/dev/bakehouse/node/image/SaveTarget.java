package dev.bakehouse.node.image;

import dev.bakehouse.node.DataDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.stream.Stream;

/**
 * Where a batch of images is saved, from a {@code filename_prefix} (spec §7.1): placeholders
 * {@code %year%} … {@code %second%}, {@code %width%}, {@code %height%} expanded, a subfolder taken
 * from the prefix (which must stay inside the area), and the first counter: one more than the
 * highest {@code <prefix>_<counter>_…} already in that folder.
 *
 * @param folder    the folder files go to (created)
 * @param filename  the prefix's last part; may still hold {@code %batch_num%}
 * @param counter   counter of the first image
 * @param subfolder the subfolder for UI output ({@code ""} for none, forward slashes)
 */
record SaveTarget(Path folder, String filename, int counter, String subfolder) {

    /**
     * @throws IllegalArgumentException if the prefix leads outside {@code area}
     */
    static SaveTarget resolve(Path area, String prefix, int width, int height, ZonedDateTime now)
            throws IOException {
        String expanded = prefix.contains("%") ? expand(prefix, width, height, now) : prefix;
        String normalized = Path.of(expanded).normalize().toString();
        int slash = normalized.lastIndexOf('/');
        String subfolder = slash < 0 ? "" : normalized.substring(0, slash);
        String filename = normalized.substring(slash + 1);
        Path folder;
        try {
            folder = subfolder.isEmpty() ? area : DataDirs.resolveInside(area, subfolder);
        } catch (IllegalArgumentException outside) {
            throw new IllegalArgumentException("filename_prefix '" + prefix
                    + "': saving outside the " + area.getFileName() + " folder is not allowed ("
                    + outside.getMessage() + ")", outside);
        }
        Files.createDirectories(folder);
        return new SaveTarget(folder, filename, highestCounter(folder, filename) + 1, subfolder);
    }

    /** The file name of image {@code batchIndex}: {@code <filename>_<counter 5 digits>_.png}. */
    String fileName(int batchIndex) {
        String name = filename.replace("%batch_num%", Integer.toString(batchIndex));
        return String.format("%s_%05d_.png", name, counter + batchIndex);
    }

    private static String expand(String prefix, int width, int height, ZonedDateTime now) {
        return prefix.replace("%width%", Integer.toString(width))
                .replace("%height%", Integer.toString(height))
                .replace("%year%", Integer.toString(now.getYear()))
                .replace("%month%", twoDigits(now.getMonthValue()))
                .replace("%day%", twoDigits(now.getDayOfMonth()))
                .replace("%hour%", twoDigits(now.getHour()))
                .replace("%minute%", twoDigits(now.getMinute()))
                .replace("%second%", twoDigits(now.getSecond()));
    }

    private static String twoDigits(int value) {
        return String.format("%02d", value);
    }

    /** Highest counter of files named {@code <filename>_<digits>…}; 0 when none. */
    private static int highestCounter(Path folder, String filename) throws IOException {
        String start = filename + "_";
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith(start))
                    .mapToInt(name -> leadingNumber(name.substring(start.length())))
                    .max()
                    .orElse(0);
        }
    }

    private static int leadingNumber(String rest) {
        int end = rest.indexOf('_');
        String digits = end < 0 ? rest : rest.substring(0, end);
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException notCounted) {
            return 0;
        }
    }
}
