package dev.bakehouse.server;

import static dev.bakehouse.server.testing.Sequences.summarize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.testing.TrainPrompts;
import dev.bakehouse.server.testing.WsRecorder;
import dev.bakehouse.testing.TinyDataDir;
import dev.bakehouse.testing.TinyDataset;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Train-then-test as an API client queues it on the default server: LoadCheckpoint, LoadDataset,
 * TrainLoRA (one epoch of two steps on the tiny model), ApplyLoRA of the trained LORA, KSampler,
 * SaveImage — through the real validator, executor and WebSocket hub.
 */
class TrainLoraHttpTest {
    private static final String PROMPT = TrainPrompts.trainThenSample(
            "--lr_scheduler=constant_with_warmup --lr_warmup_steps=1");

    @TempDir
    Path dataDir;

    @Test
    void trainThenSample_trainsReportsEachStepAndSamplesWithTheTrainedLora() throws Exception {
        TinyDataDir.populate(dataDir);
        TinyDataset.write(dataDir.resolve("datasets/kiki"), "1_kiki", 4);
        HttpClient http = HttpClient.newHttpClient();
        try (BakehouseServer server = BakehouseServer.builder(ServerConfig.defaults(dataDir).withPort(0)).start();
                WsRecorder ws = WsRecorder.connect(http, URI.create("ws://127.0.0.1:" + server.port() + "/ws?clientId=c"))) {
            ws.next();
            ObjectNode body = Json.object();
            body.set("prompt", Json.parse(PROMPT));
            body.put("client_id", "c");
            HttpResponse<String> queued = http.send(HttpRequest.newBuilder(uri(server, "/prompt"))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, queued.statusCode(), queued.body());
            String id = Json.parse(queued.body()).path("prompt_id").asText();

            List<JsonNode> messages = ws.untilDone(id);
            List<String> summary = summarize(messages);
            assertTrue(summary.contains("execution_success"), summary.toString());
            List<JsonNode> steps = messages.stream().filter(m -> m.path("type").asText().equals("bakehouse.train"))
                    .map(m -> m.path("data")).filter(d -> d.path("status").asText().equals("training")).toList();
            assertEquals(2, steps.size(), summary.toString());
            JsonNode first = steps.get(0);
            assertEquals(id, first.path("prompt_id").asText());
            assertEquals("21", first.path("node").asText());
            assertEquals(1, first.path("step").asInt());
            assertEquals(2, first.path("max_steps").asInt());
            assertEquals(1, first.path("epoch").asInt());
            assertTrue(first.path("loss").isNumber() && first.path("avr_loss").isNumber(), first.toString());
            // kohya_args' warm-up won over the widget: lr ramps from 0 over the first step
            assertEquals(0.0, first.path("lr").elements().next().asDouble(), first.toString());
            assertEquals(1e-3, steps.get(1).path("lr").elements().next().asDouble(), 1e-12, steps.get(1).toString());
            int trainingProgress = summary.indexOf("progress 1/2");
            assertTrue(trainingProgress >= 0 && summary.indexOf("progress 2/2") > trainingProgress, summary.toString());
            assertTrue(summary.contains("executed 9"), summary.toString());

            assertTrue(Files.isRegularFile(dataDir.resolve("models/loras/kiki/kiki.safetensors")));
            JsonNode history = Json.parse(http.send(HttpRequest.newBuilder(uri(server, "/history/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String filename = history.path(id).at("/outputs/9/images/0/filename").asText();
            assertTrue(Files.isRegularFile(dataDir.resolve("output").resolve(filename)), history.toString());
            JsonNode loras = Json.parse(http.send(HttpRequest.newBuilder(uri(server, "/models/loras")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertTrue(loras.toString().contains("kiki/kiki.safetensors"), loras.toString());
        }
    }

    private static URI uri(BakehouseServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
