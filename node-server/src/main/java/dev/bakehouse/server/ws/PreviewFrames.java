package dev.bakehouse.server.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.image.Images;
import dev.bakehouse.server.json.Json;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;

/**
 * Binary preview frames (spec §5.6): type 1 {@code [1][format 1 = JPEG][image]} for clients that
 * did not negotiate, type 4 {@code [4][N][N bytes of JSON metadata][image]} for clients that
 * announced {@code supports_preview_metadata}. Previews are JPEG, longer side at most 512 px.
 */
public final class PreviewFrames {
    static final int LEGACY = 1;
    static final int WITH_METADATA = 4;
    private static final int JPEG = 1;
    private static final int MAX_SIDE = 512;

    private final byte[] jpeg;
    private final String nodeId;
    private final String promptId;

    private PreviewFrames(byte[] jpeg, String nodeId, String promptId) {
        this.jpeg = jpeg;
        this.nodeId = nodeId;
        this.promptId = promptId;
    }

    /** Encodes the first image of the batch once, for every socket that gets it. */
    public static PreviewFrames of(ImageBatch preview, String nodeId, String promptId) {
        return new PreviewFrames(encode(downscaled(Images.toBufferedImage(preview, 0))), nodeId, promptId);
    }

    byte[] legacy() {
        return ByteBuffer.allocate(8 + jpeg.length).putInt(LEGACY).putInt(JPEG).put(jpeg).array();
    }

    byte[] withMetadata() {
        ObjectNode metadata = Json.object();
        metadata.put("node_id", nodeId);
        metadata.put("prompt_id", promptId);
        metadata.put("display_node_id", nodeId);
        metadata.putNull("parent_node_id");
        metadata.put("real_node_id", nodeId);
        metadata.put("image_type", "image/jpeg");
        byte[] json = Json.write(metadata).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + jpeg.length)
                .putInt(WITH_METADATA).putInt(json.length).put(json).put(jpeg).array();
    }

    private static BufferedImage downscaled(BufferedImage image) {
        int longer = Math.max(image.getWidth(), image.getHeight());
        BufferedImage rgb;
        int width = image.getWidth();
        int height = image.getHeight();
        if (longer > MAX_SIDE) {
            width = Math.max(1, image.getWidth() * MAX_SIDE / longer);
            height = Math.max(1, image.getHeight() * MAX_SIDE / longer);
        }
        rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return rgb;
    }

    private static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpeg", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a preview in memory failed", e);
        }
        return bytes.toByteArray();
    }
}
