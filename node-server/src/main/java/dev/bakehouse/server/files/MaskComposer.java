package dev.bakehouse.server.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bakehouse.node.image.PngFiles;
import dev.bakehouse.server.json.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The image {@code POST /upload/mask} stores (spec §3.9): the original image named by
 * {@code original_ref} with its alpha channel replaced by the uploaded mask's alpha, and the
 * original's PNG text chunks (the embedded workflow) kept.
 *
 * <p>Every bad {@code original_ref} is a 400, as the spec recommends: missing, not JSON, no
 * filename, failing the {@code /view} path checks, or naming no file. The reference answers 500
 * or a 200 that writes nothing, which leaves the client believing the mask was saved.
 */
public final class MaskComposer {
    /** ComfyUI's deflate level for saved images. */
    private static final int COMPRESSION_LEVEL = 4;
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final ViewResolver views;

    public MaskComposer(ViewResolver views) {
        this.views = views;
    }

    /** The PNG bytes of the original with the mask's alpha. */
    public byte[] compose(String originalRef, InputStream maskContent) throws FileRefusal, IOException {
        Path original = resolveOriginal(originalRef);
        BufferedImage image = ImageIO.read(original.toFile());
        if (image == null) {
            throw new FileRefusal(400, "original_ref names no readable image: " + original.getFileName());
        }
        BufferedImage mask = ImageIO.read(maskContent);
        if (mask == null) {
            throw new FileRefusal(400, "the uploaded mask is not a readable image");
        }
        if (mask.getWidth() != image.getWidth() || mask.getHeight() != image.getHeight()) {
            throw new FileRefusal(400, "the mask is " + mask.getWidth() + "x" + mask.getHeight()
                    + " but the original " + original.getFileName() + " is " + image.getWidth() + "x" + image.getHeight());
        }
        Map<String, String> text = isPng(original) ? PngFiles.readText(original) : Map.of();
        return PngFiles.encode(withAlphaOf(image, mask), text, COMPRESSION_LEVEL);
    }

    private Path resolveOriginal(String originalRef) throws FileRefusal {
        if (originalRef == null || originalRef.isBlank()) {
            throw new FileRefusal(400, "multipart field 'original_ref' is missing");
        }
        JsonNode ref;
        try {
            ref = Json.parse(originalRef);
        } catch (JsonProcessingException e) {
            throw new FileRefusal(400, "original_ref is not JSON: " + e.getOriginalMessage());
        }
        JsonNode filename = ref.path("filename");
        if (!filename.isTextual() || filename.asText().isEmpty()) {
            throw new FileRefusal(400, "original_ref has no \"filename\": " + originalRef);
        }
        String type = ref.path("type").isTextual() ? ref.path("type").asText() : null;
        String subfolder = ref.path("subfolder").isTextual() ? ref.path("subfolder").asText() : null;
        try {
            return views.resolve(filename.asText(), type, subfolder);
        } catch (FileRefusal refusal) {
            throw new FileRefusal(400, "original_ref refused (" + refusal.status() + "): " + refusal.getMessage());
        }
    }

    /** The original's colour with the mask's alpha; a mask without alpha is fully opaque. */
    private static BufferedImage withAlphaOf(BufferedImage image, BufferedImage mask) {
        int width = image.getWidth();
        int height = image.getHeight();
        boolean maskHasAlpha = mask.getColorModel().hasAlpha();
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int alpha = maskHasAlpha ? mask.getRGB(x, y) >>> 24 : 0xFF;
                out.setRGB(x, y, alpha << 24 | image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return out;
    }

    private static boolean isPng(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(PNG_SIGNATURE.length), PNG_SIGNATURE);
        }
    }
}
