package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.node.image.PngFiles;
import dev.bakehouse.server.testing.Multipart;
import dev.bakehouse.server.testing.PngText;
import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.TestServer.Response;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /upload/mask}: the original's colour and text chunks, the mask's alpha (spec §3.9). */
class UploadMaskHttpTest {
    private static final int WIDTH = 4;
    private static final int HEIGHT = 3;

    @TempDir
    Path root;

    private TestServer server;
    private final Map<String, String> chunks = new LinkedHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(Files.createDirectories(root.resolve("data")));
        chunks.put("prompt", "{\"3\": {\"class_type\": \"SaveImage\"}}");
        chunks.put("workflow", "{\"nodes\": []}");
        chunks.put("caption", "portrait — café ✓ 猫");
        Path portraits = Files.createDirectories(server.dataDir.resolve("output/portraits"));
        PngFiles.write(original(), chunks, portraits.resolve("face.png"), 4);
        Files.write(root.resolve("outside.png"), png(mask(true)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void uploadMask_replacesAlpha_keepsColourAndTextChunks() throws IOException {
        String ref = "{\"filename\": \"face.png\", \"subfolder\": \"portraits\", \"type\": \"output\"}";
        for (String prefix : new String[] {"", "/api"}) {
            Response response = upload(prefix, ref, png(mask(true)), "clipspace-mask.png");
            assertEquals(200, response.status(), response.body());
            assertEquals("clipspace-mask.png", response.json().path("name").asText());
            assertEquals("input", response.json().path("type").asText());
        }
        assertEquals(1, inputFiles(), "the identical second result keeps its name");
        byte[] stored = Files.readAllBytes(server.dataDir.resolve("input/clipspace-mask.png"));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(stored));
        BufferedImage original = original();
        BufferedImage mask = mask(true);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                assertEquals(mask.getRGB(x, y) >>> 24, image.getRGB(x, y) >>> 24, "alpha at " + x + "," + y);
                assertEquals(original.getRGB(x, y) & 0xFFFFFF, image.getRGB(x, y) & 0xFFFFFF, "colour at " + x + "," + y);
            }
        }
        assertEquals(chunks, PngFiles.readText(server.dataDir.resolve("input/clipspace-mask.png")));
        assertEquals(Map.of("prompt", chunks.get("prompt"), "workflow", chunks.get("workflow")), PngText.read(stored),
                "Latin-1 text stays in tEXt chunks; the rest is kept in UTF-8 iTXt");
    }

    @Test
    void uploadMask_refWithoutType_readsOutput_maskWithoutAlpha_isOpaque_subfolderAndTypeOfTarget() throws IOException {
        Response response = server.send(new Multipart()
                .field("original_ref", "{\"filename\": \"face.png\", \"subfolder\": \"portraits\"}")
                .field("type", "temp").field("subfolder", "masks")
                .file("image", "m.png", png(mask(false)))
                .into(HttpRequest.newBuilder(server.uri("/upload/mask"))).build());
        assertEquals(200, response.status(), response.body());
        assertEquals("masks", response.json().path("subfolder").asText());
        BufferedImage image = ImageIO.read(server.dataDir.resolve("temp/masks/m.png").toFile());
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                assertEquals(0xFF, image.getRGB(x, y) >>> 24);
            }
        }
    }

    @Test
    void uploadMask_badOriginalRef_is400_andWritesNothing() throws IOException {
        String[] refs = {
            null,
            "not json {",
            "{\"subfolder\": \"portraits\"}",
            "{\"filename\": \"\"}",
            "{\"filename\": \"../outside.png\"}",
            "{\"filename\": \"/etc/passwd\"}",
            "{\"filename\": \"outside.png\", \"subfolder\": \"../..\"}",
            "{\"filename\": \"face.png\", \"subfolder\": \"portraits\", \"type\": \"models\"}",
            "{\"filename\": \"missing.png\", \"subfolder\": \"portraits\"}",
            "{\"filename\": \"face.png\"}",
        };
        for (String ref : refs) {
            Response response = upload("", ref, png(mask(true)), "m.png");
            assertEquals(400, response.status(), ref + " → " + response.body());
            assertTrue(response.json().path("error").asText().contains("original_ref"), response.body());
        }
        Response wrongSize = upload("", "{\"filename\": \"face.png\", \"subfolder\": \"portraits\"}",
                png(new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB)), "m.png");
        assertEquals(400, wrongSize.status());
        assertTrue(wrongSize.json().path("error").asText().contains("2x2"), wrongSize.body());
        Response notAnImage = upload("", "{\"filename\": \"face.png\", \"subfolder\": \"portraits\"}",
                new byte[] {1, 2, 3}, "m.png");
        assertEquals(400, notAnImage.status());
        assertEquals(0, inputFiles());
    }

    private Response upload(String prefix, String ref, byte[] mask, String name) {
        Multipart form = new Multipart();
        if (ref != null) {
            form.field("original_ref", ref);
        }
        return server.send(form.file("image", name, mask)
                .into(HttpRequest.newBuilder(server.uri(prefix + "/upload/mask"))).build());
    }

    private long inputFiles() throws IOException {
        try (Stream<Path> files = Files.list(server.dataDir.resolve("input"))) {
            return files.count();
        }
    }

    /** Opaque colours that differ per pixel. */
    private static BufferedImage original() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                image.setRGB(x, y, (x * 60) << 16 | (y * 100) << 8 | 200);
            }
        }
        return image;
    }

    /** Black with an alpha ramp (or plain RGB when {@code withAlpha} is false). */
    private static BufferedImage mask(boolean withAlpha) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT,
                withAlpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                image.setRGB(x, y, (x * 20 + y * 70) << 24 | 0x102030);
            }
        }
        return image;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }
}
