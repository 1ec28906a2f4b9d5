package dev.bakehouse.node.image;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.Mask;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.ValidationResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Loads an image from the input folder (ComfyUI's {@code LoadImage}). Every frame of the first
 * frame's size becomes one image of the batch; the MASK is {@code 1 - alpha}, or a 64×64 zero mask
 * per frame when the file has no alpha. Names may carry a subfolder or an area annotation
 * ({@link ImageFiles#resolveAnnotated}); the file's hash is the cache fingerprint, so replacing
 * the file re-runs the node.
 */
public final class LoadImage implements Node {
    private static final int NO_ALPHA_MASK_SIZE = 64;

    private final DataDirs dirs;
    private final NodeSpec spec;

    public LoadImage(DataDirs dirs) {
        this.dirs = dirs;
        this.spec = NodeSpec.builder("LoadImage")
                .displayName("Load Image")
                .category("image")
                .description("Loads an image from the input folder, with its transparency as a mask.")
                .required(ComboInput.dynamic("image", () -> ImageFiles.inputImages(dirs))
                        .withImageUpload())
                .output(DataType.IMAGE)
                .output(DataType.MASK)
                .customValidation("image")
                .build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) throws IOException {
        String name = inputs.getString("image");
        List<BufferedImage> frames = readFrames(ImageFiles.resolveAnnotated(dirs, name));
        ImageBatch images = Images.toBatch(frames);
        boolean hasAlpha = frames.get(0).getColorModel().hasAlpha();
        Mask mask = hasAlpha ? Images.inverseAlpha(frames)
                : Mask.zeros(frames.size(), NO_ALPHA_MASK_SIZE, NO_ALPHA_MASK_SIZE);
        return NodeResult.of(images, mask);
    }

    /** The SHA-256 of the file's bytes, hex. */
    @Override
    public Object fingerprint(NodeInputs literalInputs) throws IOException, NoSuchAlgorithmException {
        Path file = ImageFiles.resolveAnnotated(dirs, literalInputs.getString("image"));
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        return HexFormat.of().formatHex(digest);
    }

    /** Accepts any existing file inside its area, not only the listed top-level ones. */
    @Override
    public ValidationResult validateInputs(NodeInputs literalInputs, Map<String, String> linkedTypes) {
        if (!literalInputs.has("image")) {
            return ValidationResult.ok();
        }
        String name = String.valueOf(literalInputs.asMap().get("image"));
        try {
            if (!Files.isRegularFile(ImageFiles.resolveAnnotated(dirs, name))) {
                return ValidationResult.invalid("Invalid image file: " + name);
            }
        } catch (IllegalArgumentException unsafe) {
            return ValidationResult.invalid("Invalid image file: " + name + " (" + unsafe.getMessage() + ")");
        }
        return ValidationResult.ok();
    }

    private static List<BufferedImage> readFrames(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException("not a readable image: " + file.getFileName());
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                List<BufferedImage> frames = new ArrayList<>();
                int count = reader.getNumImages(true);
                for (int i = 0; i < count; i++) {
                    BufferedImage frame = reader.read(i);
                    // Frames of another size (partial GIF frames) are skipped, as ComfyUI does.
                    if (frames.isEmpty() || sameSize(frames.get(0), frame)) {
                        frames.add(frame);
                    }
                }
                return frames;
            } finally {
                reader.dispose();
            }
        }
    }

    private static boolean sameSize(BufferedImage a, BufferedImage b) {
        return a.getWidth() == b.getWidth() && a.getHeight() == b.getHeight();
    }
}
