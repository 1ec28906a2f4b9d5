package dev.bakehouse.train.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads an image's pixel size (no EXIF rotation, as kohya's {@code imagesize}). Injectable so
 * tests can describe trees by size alone.
 */
@FunctionalInterface
public interface ImageSizeReader {
    /** The size, or an IOException saying why the file cannot be used. */
    Size read(Path image) throws IOException;

    /**
     * Decodes every pixel once, so a truncated or corrupt file is reported before training
     * rather than failing mid-epoch.
     */
    static ImageSizeReader decoding() {
        return image -> {
            java.awt.image.BufferedImage img = ImageFiles.read(image);
            return new Size(img.getWidth(), img.getHeight());
        };
    }
}
