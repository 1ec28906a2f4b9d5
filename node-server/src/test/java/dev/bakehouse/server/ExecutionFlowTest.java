package dev.bakehouse.server;

import static dev.bakehouse.server.testing.Sequences.summarize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.testing.Multipart;
import dev.bakehouse.server.testing.PngText;
import dev.bakehouse.server.testing.Prompts;
import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.TestServer.Response;
import dev.bakehouse.server.testing.WsRecorder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance path: upload an image, queue LoadImage → SaveImage over HTTP, watch the
 * WebSocket, read history, download the PNG, and see the same prompt served from the cache.
 */
class ExecutionFlowTest {
    @TempDir
    Path dataDir;

    private static byte[] smallPng() throws Exception {
        BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, (x * 30) << 16 | (y * 40) << 8 | 0x80);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return png.toByteArray();
    }

    private static ObjectNode loadAndSave(String imageName) {
        ObjectNode prompt = Prompts.prompt();
        Prompts.node(prompt, "10", "LoadImage").put("image", imageName);
        ObjectNode save = Prompts.node(prompt, "11", "SaveImage");
        save.set("images", Prompts.link("10", 0));
        save.put("filename_prefix", "flow");
        return prompt;
    }

    @Test
    void loadImageToSaveImage_fullRoundTrip_thenServedFromCache() throws Exception {
        try (TestServer server = TestServer.start(dataDir); WsRecorder ws = server.ws("flow")) {
            ws.next();
            Response upload = server.send(new Multipart().file("image", "cat.png", smallPng())
                    .into(HttpRequest.newBuilder(server.uri("/upload/image"))).build());
            assertEquals(200, upload.status(), upload.body());
            assertEquals("cat.png", upload.json().path("name").asText());

            ObjectNode body = Json.object();
            body.set("prompt", loadAndSave("cat.png"));
            body.put("client_id", "flow");
            body.putObject("extra_data").putObject("extra_pnginfo").putObject("workflow").put("version", 0.4);
            Response queued = server.postJson("/prompt", body);
            assertEquals(200, queued.status(), queued.body());
            String id = queued.json().path("prompt_id").asText();

            List<JsonNode> first = ws.untilDone(id);
            assertEquals(List.of(
                    "status 1", "status 1", "execution_start", "execution_cached []",
                    "progress_state 10=running", "executing 10", "progress_state 10=finished",
                    "progress_state 10=finished,11=running", "executing 11", "executed 11",
                    "progress_state 10=finished,11=finished",
                    "execution_success", "status 0", "executing null"),
                    summarize(first));
            JsonNode executed = first.get(9).path("data");
            assertEquals(List.of("node", "display_node", "output", "prompt_id"), fieldNames(executed));
            JsonNode image = executed.path("output").path("images").path(0);
            assertEquals("flow_00001_.png", image.path("filename").asText());
            assertEquals("", image.path("subfolder").asText());
            assertTrue(image.has("subfolder"), "subfolder is always present");
            assertEquals("output", image.path("type").asText());

            JsonNode entry = server.get("/history/" + id).json().path(id);
            assertEquals(image, entry.path("outputs").path("11").path("images").path(0));
            assertEquals("success", entry.path("status").path("status_str").asText());

            byte[] viewed = server.getBytes("/view?filename=flow_00001_.png&type=output&subfolder=");
            byte[] onDisk = Files.readAllBytes(dataDir.resolve("output/flow_00001_.png"));
            assertArrayEquals(onDisk, viewed);
            assertArrayEquals(onDisk, server.getBytes("/view?subfolder=&type=output&filename=flow_00001_.png"),
                    "parameters in any order");
            Map<String, String> text = PngText.read(viewed);
            assertEquals(List.of("prompt", "workflow"), List.copyOf(text.keySet()));
            assertEquals("LoadImage", Json.parseTrusted(text.get("prompt")).path("10").path("class_type").asText());
            assertEquals(0.4, Json.parseTrusted(text.get("workflow")).path("version").asDouble());

            String second = server.queue(loadAndSave("cat.png"), "flow");
            List<JsonNode> again = ws.untilDone(second);
            assertEquals(List.of(
                    "status 1", "status 1", "execution_start", "execution_cached [10, 11]",
                    "executed 11", "progress_state 11=finished",
                    "execution_success", "status 0", "executing null"),
                    summarize(again));
            assertEquals(executed.path("output"), again.get(4).path("data").path("output"),
                    "the cached output node re-sends its output");
            assertEquals(image, server.get("/history/" + second).json()
                    .path(second).path("outputs").path("11").path("images").path(0));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
