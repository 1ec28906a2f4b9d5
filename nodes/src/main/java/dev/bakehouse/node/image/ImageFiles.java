package dev.bakehouse.node.image;

import dev.bakehouse.node.DataDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Image file names as loaders take them: plain names inside the input folder, optionally with a
 * subfolder ({@code portraits/a.png}) and an area annotation ({@code x.png [output]},
 * {@code [input]}, {@code [temp]}).
 */
public final class ImageFiles {
    private static final Set<String> IMAGE_EXTENSIONS =
            Set.of(".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff");

    private ImageFiles() {}

    /** Image files directly in the input folder, sorted (the combo options of loaders). */
    public static List<String> inputImages(DataDirs dirs) {
        try (Stream<Path> files = Files.list(dirs.input())) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(ImageFiles::isImageName)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dirs.input(), e);
        }
    }

    /**
     * The file an annotated name refers to.
     *
     * @throws IllegalArgumentException for an empty name or one leading out of its folder
     */
    public static Path resolveAnnotated(DataDirs dirs, String annotated) {
        String name = annotated;
        String area = "input";
        for (String candidate : List.of("output", "input", "temp")) {
            String suffix = " [" + candidate + "]";
            if (annotated.endsWith(suffix)) {
                name = annotated.substring(0, annotated.length() - suffix.length());
                area = candidate;
            }
        }
        return DataDirs.resolveInside(dirs.area(area), name);
    }

    private static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && IMAGE_EXTENSIONS.contains(name.substring(dot).toLowerCase(Locale.ROOT));
    }
}
