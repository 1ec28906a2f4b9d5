package dev.bakehouse.train.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Reads a dataset image with the JDK's codecs (PNG, JPEG, BMP, GIF; no WebP). */
public final class ImageFiles {
    private ImageFiles() {}

    public static BufferedImage read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException(name.endsWith(".webp")
                        ? "WebP images cannot be read by this Java runtime; convert it to PNG or JPEG"
                        : "not a readable image (unknown or broken format)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return reader.read(0);
            } catch (RuntimeException e) {
                throw new IOException("broken image data: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }
}
