package dev.bakehouse.server;

import static dev.bakehouse.server.testing.Sequences.summarize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.testing.WsRecorder;
import dev.bakehouse.testing.TinyDataDir;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ComfyUI API client's text-to-image prompt, unchanged, against a server built with its default
 * node set: queued over HTTP, step progress and previews on the WebSocket, the PNG via /view.
 */
class ModelNodesHttpTest {
    private static final String COMFY_TEXT_TO_IMAGE = """
            {"4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "tiny.safetensors"}},
             "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
             "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a lighthouse at dusk", "clip": ["4", 1]}},
             "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry", "clip": ["4", 1]}},
             "3": {"class_type": "KSampler", "inputs": {"seed": 18446744073709551615, "steps": 3, "cfg": 7.5,
                   "sampler_name": "euler", "scheduler": "normal", "denoise": 1.0, "model": ["4", 0],
                   "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
             "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
             "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "ComfyUI", "images": ["8", 0]}}}""";

    @TempDir
    Path dataDir;

    @Test
    void comfyTextToImagePrompt_runsOnTheDefaultServer() throws Exception {
        TinyDataDir.populate(dataDir);
        HttpClient http = HttpClient.newHttpClient();
        try (BakehouseServer server = BakehouseServer.builder(ServerConfig.defaults(dataDir).withPort(0)).start();
                WsRecorder ws = WsRecorder.connect(http, URI.create("ws://127.0.0.1:" + server.port() + "/ws?clientId=c"))) {
            ws.next();
            ObjectNode body = Json.object();
            body.set("prompt", Json.parse(COMFY_TEXT_TO_IMAGE));
            body.put("client_id", "c");
            body.putObject("extra_data").put("preview_method", "auto"); // the server's default is none
            HttpResponse<String> queued = http.send(HttpRequest.newBuilder(uri(server, "/prompt"))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, queued.statusCode(), queued.body());
            String id = Json.parse(queued.body()).path("prompt_id").asText();

            List<String> messages = summarize(ws.untilDone(id));
            assertTrue(messages.containsAll(List.of("progress 1/3", "progress 2/3", "progress 3/3", "executed 9",
                    "execution_success")), messages.toString());
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("binary")), "no preview frames: " + messages);

            JsonNode history = Json.parse(http.send(HttpRequest.newBuilder(uri(server, "/history/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String filename = history.path(id).at("/outputs/9/images/0/filename").asText();
            byte[] png = http.send(HttpRequest.newBuilder(uri(server, "/view?type=output&filename=" + filename)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(64, image.getWidth());
            assertEquals(64, image.getHeight());
        }
    }

    private static URI uri(BakehouseServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
