package dev.bakehouse.server;

import static dev.bakehouse.server.testing.Sequences.summarize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.testing.WsRecorder;
import dev.bakehouse.testing.TinyDataDir;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /free} on a default server: {@code unload_models} unloads the checkpoint, which the
 * next sampler run loads again; {@code free_memory} also forgets cached node results, so an
 * unchanged prompt runs again from the loader; closing the server unloads what is left.
 */
class FreeModelsHttpTest {
    private static final String TEXT_TO_IMAGE = """
            {"4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "tiny.safetensors"}},
             "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
             "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a red circle", "clip": ["4", 1]}},
             "3": {"class_type": "KSampler", "inputs": {"seed": %d, "steps": 2, "cfg": 1.0,
                   "sampler_name": "euler", "scheduler": "normal", "denoise": 1.0, "model": ["4", 0],
                   "positive": ["6", 0], "negative": ["6", 0], "latent_image": ["5", 0]}},
             "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
             "9": {"class_type": "PreviewImage", "inputs": {"images": ["8", 0]}}}""";

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void free_unloadModels_reloadsCheckpointOnNextRun_freeMemory_rerunsCachedNodes() throws Exception {
        TinyDataDir.populate(dataDir);
        BakehouseServer server = BakehouseServer.builder(ServerConfig.defaults(dataDir).withPort(0)).start();
        try (server; WsRecorder ws = WsRecorder.connect(http, URI.create("ws://127.0.0.1:" + server.port() + "/ws?clientId=c"))) {
            ws.next();
            assertSuccess(run(server, ws, 1));
            assertEquals(1, server.models().checkpointLoads());
            assertSuccess(run(server, ws, 2));
            assertEquals(1, server.models().checkpointLoads(), "a second prompt reuses the loaded checkpoint");

            post(server, "/free", "{\"unload_models\": true}");
            List<String> third = run(server, ws, 3);
            assertSuccess(third);
            assertEquals(2, server.models().checkpointLoads(), "unload_models must unload the checkpoint");
            assertTrue(third.contains("execution_cached [4, 5, 6]"), "node results stay cached: " + third);

            post(server, "/free", "{\"free_memory\": true}");
            List<String> fourth = run(server, ws, 3);
            assertSuccess(fourth);
            assertTrue(fourth.contains("execution_cached []"), "free_memory must clear the output cache: " + fourth);
            assertTrue(fourth.contains("executing 4"), "the loader runs again: " + fourth);
            assertEquals(3, server.models().checkpointLoads());
            assertEquals(1, server.models().loadedCheckpoints());
        }
        assertEquals(0, server.models().loadedCheckpoints(), "closing the server unloads the checkpoints");
    }

    /** Queues the prompt with this seed and returns its WebSocket messages, summarized. */
    private List<String> run(BakehouseServer server, WsRecorder ws, long seed) throws Exception {
        ObjectNode body = Json.object();
        body.set("prompt", Json.parse(TEXT_TO_IMAGE.formatted(seed)));
        body.put("client_id", "c");
        String queued = post(server, "/prompt", body.toString());
        return summarize(ws.untilDone(Json.parse(queued).path("prompt_id").asText()));
    }

    private String post(BakehouseServer server, String path, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    private static void assertSuccess(List<String> messages) {
        assertTrue(messages.contains("execution_success"), messages.toString());
    }
}
