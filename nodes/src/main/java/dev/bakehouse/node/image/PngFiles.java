package dev.bakehouse.node.image;

import dev.bakehouse.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * PNG files with {@code tEXt} chunks (spec §7.2), through the JDK's ImageIO PNG codec and its
 * standard metadata tree. Files are written to a temporary name beside the target and moved into
 * place, so a reader never sees half a file.
 */
public final class PngFiles {
    private static final String PNG_FORMAT = "javax_imageio_png_1.0";

    private PngFiles() {}

    /**
     * Writes {@code image} as PNG with one {@code tEXt} chunk per entry, in map order.
     *
     * @param text             keyword → text (keywords 1–79 Latin-1 characters); values outside
     *                         Latin-1 are written as UTF-8 {@code iTXt}
     * @param compressionLevel deflate level 0–9 (ComfyUI: 4 for saved images, 1 for previews)
     */
    public static void write(BufferedImage image, Map<String, String> text, Path target,
                             int compressionLevel) throws IOException {
        AtomicFiles.write(target, encode(image, text, compressionLevel));
    }

    /** The bytes {@link #write} would write. */
    public static byte[] encode(BufferedImage image, Map<String, String> text, int compressionLevel)
            throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            // The JDK maps quality q to deflate level round(9 * (1 - q)).
            param.setCompressionQuality(1f - compressionLevel / 9f);
            IIOMetadata metadata = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromRenderedImage(image), param);
            if (!text.isEmpty()) {
                metadata.mergeTree(PNG_FORMAT, textTree(text));
            }
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, metadata), param);
            }
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * The {@code tEXt} (and uncompressed {@code iTXt}/{@code zTXt}) entries of a PNG file, in file
     * order; a keyword seen twice keeps its first value.
     */
    public static Map<String, String> readText(Path file) throws IOException {
        Map<String, String> text = new LinkedHashMap<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                Node root = reader.getImageMetadata(0).getAsTree(PNG_FORMAT);
                for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
                    String entryName = chunk.getNodeName() + "Entry";
                    for (Node entry = chunk.getFirstChild(); entry != null; entry = entry.getNextSibling()) {
                        if (entry.getNodeName().equals(entryName)) {
                            IIOMetadataNode e = (IIOMetadataNode) entry;
                            String value = e.hasAttribute("value") ? e.getAttribute("value")
                                    : e.getAttribute("text");
                            text.putIfAbsent(e.getAttribute("keyword"), value);
                        }
                    }
                }
            } finally {
                reader.dispose();
            }
        }
        return text;
    }

    /**
     * One {@code tEXt} entry per Latin-1 value; a value Latin-1 cannot hold (a kept original's
     * international text) goes into an uncompressed UTF-8 {@code iTXt} entry instead of losing
     * characters, as Pillow's {@code PngInfo.add_text} does.
     */
    private static IIOMetadataNode textTree(Map<String, String> text) {
        IIOMetadataNode root = new IIOMetadataNode(PNG_FORMAT);
        IIOMetadataNode latin1 = new IIOMetadataNode("tEXt");
        IIOMetadataNode international = new IIOMetadataNode("iTXt");
        CharsetEncoder encoder = StandardCharsets.ISO_8859_1.newEncoder();
        text.forEach((keyword, value) -> {
            IIOMetadataNode entry;
            if (encoder.canEncode(value)) {
                entry = new IIOMetadataNode("tEXtEntry");
                entry.setAttribute("value", value);
                latin1.appendChild(entry);
            } else {
                entry = new IIOMetadataNode("iTXtEntry");
                entry.setAttribute("compressionFlag", "FALSE");
                entry.setAttribute("compressionMethod", "0");
                entry.setAttribute("languageTag", "");
                entry.setAttribute("translatedKeyword", "");
                entry.setAttribute("text", value);
                international.appendChild(entry);
            }
            entry.setAttribute("keyword", keyword);
        });
        for (IIOMetadataNode chunk : new IIOMetadataNode[] {latin1, international}) {
            if (chunk.hasChildNodes()) {
                root.appendChild(chunk);
            }
        }
        return root;
    }
}
