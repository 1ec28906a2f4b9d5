package dev.bakehouse.server.http;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The {@code preview} and {@code channel} re-encodings of {@code GET /view} (spec §3.8).
 *
 * <p>The JDK has no WebP encoder, so a request for WebP (the default preview format, and the
 * forced one when {@code channel} contains "a") is answered with a PNG and {@code image/png}:
 * lossless, keeps alpha, and every client displays it. JPEG previews are JPEG.
 */
final class ImageVariant {
    record Encoded(byte[] bytes, String contentType) {}

    private ImageVariant() {}

    /** The re-encoded image, or null when the file should be served as it is. */
    static Encoded encode(Path file, String preview, String channel) throws IOException {
        boolean rgb = "rgb".equals(channel);
        boolean alphaOnly = "a".equals(channel);
        if (preview == null && !rgb && !alphaOnly) {
            return null;
        }
        BufferedImage source = ImageIO.read(file.toFile());
        if (source == null) {
            return null;
        }
        if (preview == null) {
            BufferedImage image = alphaOnly ? alphaAsBlack(source) : toRgb(source);
            return new Encoded(png(image), "image/png");
        }
        String[] parts = preview.split(";");
        boolean jpeg = "jpeg".equals(parts[0]) && (channel == null || !channel.contains("a"));
        int quality = parseQuality(parts.length > 1 ? parts[parts.length - 1] : "");
        if (jpeg) {
            return new Encoded(jpeg(toRgb(source), quality), "image/jpeg");
        }
        return new Encoded(png(rgb ? toRgb(source) : source), "image/png");
    }

    private static int parseQuality(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 90;
        }
    }

    private static BufferedImage toRgb(BufferedImage source) {
        BufferedImage rgb = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(source, 0, 0, null);
        return rgb;
    }

    /** Black colour carrying the source's alpha; fully opaque when the source has none. */
    private static BufferedImage alphaAsBlack(BufferedImage source) {
        BufferedImage out = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_ARGB);
        boolean hasAlpha = source.getColorModel().hasAlpha();
        for (int y = 0; y < source.getHeight(); y++) {
            for (int x = 0; x < source.getWidth(); x++) {
                int alpha = hasAlpha ? source.getRGB(x, y) >>> 24 : 0xFF;
                out.setRGB(x, y, alpha << 24);
            }
        }
        return out;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    private static byte[] jpeg(BufferedImage image, int quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(Math.max(0, Math.min(100, quality)) / 100f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
