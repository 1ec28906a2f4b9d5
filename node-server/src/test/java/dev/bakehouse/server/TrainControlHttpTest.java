package dev.bakehouse.server;

import static dev.bakehouse.server.testing.Sequences.summarize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.testing.ManualDelayedTasks;
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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live training controls over real HTTP against a server with the default nodes, the tiny
 * model and a generated dataset (two epochs of two steps). Prompts are held by a manual release
 * scheduler, so a control posted before the release is taken after the run's first step — no
 * timing, no sleeps; the test syncs on the WebSocket acknowledgements.
 */
class TrainControlHttpTest {
    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ManualDelayedTasks releases = new ManualDelayedTasks();
    private BakehouseServer server;
    private WsRecorder ws;
    private Path prompts;

    @BeforeEach
    void start() throws Exception {
        TinyDataDir.populate(dataDir);
        TinyDataset.write(dataDir.resolve("datasets/kiki"), "1_kiki", 4);
        prompts = Files.writeString(dataDir.resolve("prompts.txt"), "kiki, ring --n blurry --w 64 --h 64 --d 3 --s 2\n");
        server = BakehouseServer.builder(ServerConfig.defaults(dataDir).withPort(0)).scheduler(releases).start();
        ws = WsRecorder.connect(http, URI.create("ws://127.0.0.1:" + server.port() + "/ws?clientId=c"));
        ws.next();
    }

    @AfterEach
    void stop() {
        ws.close();
        server.close();
    }

    @Test
    void saveNow_sampleNow_stopAndKeep_thenTheSamePromptResumesToTheWeightsOfAnUninterruptedRun() throws Exception {
        String reference = queue(training("kiki_ref"));
        assertEquals(202, post(reference, "save").statusCode());
        List<JsonNode> plain = release(reference);
        assertTrue(summarize(plain).contains("execution_success"), summarize(plain).toString());
        assertEquals(List.of("save@1 [\"kiki_ref/kiki_ref-step00000001.safetensors\"]"), acks(plain));
        Path loras = dataDir.resolve("models/loras");
        assertTrue(Files.isRegularFile(loras.resolve("kiki_ref/kiki_ref-step00000001.safetensors")), "save-now's file");

        String id = queue(training("kiki"));
        HttpResponse<String> accepted = post(id, "sample");
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals("sample", Json.parse(accepted.body()).path("control").asText());
        assertEquals(202, post(id, "stop").statusCode());
        List<JsonNode> kept = release(id);

        List<String> summary = summarize(kept);
        assertTrue(summary.contains("execution_success"), "stop-and-keep ends the prompt successfully: " + summary);
        List<String> acks = acks(kept);
        assertEquals(2, acks.size(), acks.toString());
        assertTrue(acks.get(0).matches("sample@1 \\[\"kiki/sample/kiki_000001_00_\\d{14}_3\\.png\"]"), acks.get(0));
        assertEquals("stop@1 [\"kiki/kiki-step00000001.safetensors\",\"kiki/kiki-step00000001-state\"]", acks.get(1));
        assertTrue(Files.isRegularFile(loras.resolve(Json.parse(acks.get(0).substring(acks.get(0).indexOf('['))).get(0)
                .asText())), "sample-now's image");
        assertTrue(Files.isRegularFile(loras.resolve("kiki/kiki-step00000001-state/train_state.json")), "the kept state");
        assertEquals("kept", status(kept));
        JsonNode history = Json.parse(get("/history/" + id).body());
        assertTrue(history.path(id).at("/outputs/12/images/0/filename").isTextual(), "the loss chart was saved: " + history);

        String again = queue(training("kiki"));
        List<JsonNode> resumed = release(again);
        assertTrue(summarize(resumed).contains("execution_success"), summarize(resumed).toString());
        assertTrue(summarize(resumed).containsAll(List.of("progress 2/4", "progress 4/4"))
                && !summarize(resumed).contains("progress 1/4"), "continued from step 1: " + summarize(resumed));
        assertEquals("finished", status(resumed));
        assertSameWeights(loras.resolve("kiki_ref/kiki_ref.safetensors"), loras.resolve("kiki/kiki.safetensors"));
    }

    @Test
    void controls_forUnknownFinishedOrNonTrainingPrompts_failWithAJsonError() throws Exception {
        HttpResponse<String> unknown = post("no-such-prompt", "sample");
        assertEquals(404, unknown.statusCode());
        assertTrue(Json.parse(unknown.body()).path("error").asText().contains("'no-such-prompt'"), unknown.body());

        ObjectNode plain = (ObjectNode) Json.parse("""
                {"4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "tiny.safetensors"}},
                 "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
                 "8": {"class_type": "VAEDecode", "inputs": {"samples": ["5", 0], "vae": ["4", 2]}},
                 "9": {"class_type": "PreviewImage", "inputs": {"images": ["8", 0]}}}""");
        String notTraining = queue(plain);
        HttpResponse<String> conflict = post(notTraining, "stop");
        assertEquals(409, conflict.statusCode());
        assertTrue(Json.parse(conflict.body()).path("error").asText().contains("has no TrainLoRA node"), conflict.body());
        assertTrue(summarize(release(notTraining)).contains("execution_success"));
        assertEquals(404, post(notTraining, "stop").statusCode(), "a finished prompt");

        String training = queue(training("kiki"));
        HttpResponse<String> badControl = post(training, "pause");
        assertEquals(404, badControl.statusCode());
        assertTrue(Json.parse(badControl.body()).path("error").asText().contains("expected sample, save or stop"),
                badControl.body());
        assertEquals(202, post(training, "stop").statusCode()); // end it after one step
        release(training);
        HttpResponse<String> finished = post(training, "save");
        assertEquals(404, finished.statusCode());
        assertTrue(Json.parse(finished.body()).path("error").asText().contains("has finished"), finished.body());
    }

    /** The training prompt of the TrainLoRA tests, its files under {@code models/loras/<outputName>}. */
    private ObjectNode training(String outputName) {
        return (ObjectNode) Json.parseTrusted("{" + TrainPrompts.loadAndTrain(2, false, "--output_name=" + outputName
                + " --sample_prompts=" + prompts) + ",\n"
                + "\"12\": {\"class_type\": \"SaveImage\", \"inputs\": {\"images\": [\"21\", 1], \"filename_prefix\": \"loss\"}}}");
    }

    /** Queues a prompt, held until {@link #release}. */
    private String queue(ObjectNode prompt) throws Exception {
        ObjectNode body = Json.object();
        body.set("prompt", prompt);
        body.put("client_id", "c");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/prompt"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        releases.awaitPending(1);
        return Json.parse(response.body()).path("prompt_id").asText();
    }

    /** Lets the held prompt start and returns its messages up to its end. */
    private List<JsonNode> release(String id) throws Exception {
        releases.advance(Duration.ofMinutes(1));
        return ws.untilDone(id);
    }

    private HttpResponse<String> post(String id, String control) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/bakehouse/train/" + id + "/" + control))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** The control acknowledgements among the messages, as {@code event@step files}. */
    private static List<String> acks(List<JsonNode> messages) {
        return messages.stream().filter(m -> m.path("type").asText().equals("bakehouse.train"))
                .map(m -> m.path("data")).filter(d -> d.has("event"))
                .map(d -> d.path("event").asText() + "@" + d.path("step").asInt() + " " + d.path("files")).toList();
    }

    /** The status of the run's end message. */
    private static String status(List<JsonNode> messages) {
        return messages.stream().filter(m -> m.path("type").asText().equals("bakehouse.train"))
                .map(m -> m.path("data").path("status").asText()).filter(s -> !s.isEmpty() && !s.equals("training"))
                .reduce((a, b) -> b).orElse("none");
    }

    private static void assertSameWeights(Path expected, Path actual) throws Exception {
        var a = LoraReader.read(expected).modules();
        var b = LoraReader.read(actual).modules();
        assertEquals(a.keySet(), b.keySet());
        for (LoraModule m : a.values()) {
            for (String t : List.of("lora_down.weight", "lora_up.weight")) {
                assertArrayEquals(m.tensor(t).orElseThrow().values(), b.get(m.name()).tensor(t).orElseThrow().values(), 0f,
                        m.name() + "." + t);
            }
        }
    }
}
