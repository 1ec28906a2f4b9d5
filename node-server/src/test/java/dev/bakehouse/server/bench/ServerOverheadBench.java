package dev.bakehouse.server.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.BasicNodes;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.server.BakehouseServer;
import dev.bakehouse.server.ServerConfig;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.testing.Prompts;
import dev.bakehouse.server.testing.ServerTestNodes;
import dev.bakehouse.server.testing.WsRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The server's own cost per queued prompt, with the deliberate start grace set to zero: a
 * one-node prompt whose node does nothing, timed from {@code POST /prompt} to its
 * {@code executing null} (validation, SQLite writes for queue, runs and history, WebSocket
 * events). Prints the median and p99 round trip and the throughput of back-to-back prompts.
 */
public final class ServerOverheadBench {
    private static final int WARMUP = 100;
    private static final int MEASURED = 500;

    private ServerOverheadBench() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Files.createTempDirectory("bakehouse-bench");
        ServerConfig config = ServerConfig.defaults(dataDir).withPort(0).withStartGrace(Duration.ZERO);
        BakehouseServer server = BakehouseServer.builder(config)
                .nodes(dirs -> NodeRegistry.of(BasicNodes.all(dirs)).with(ServerTestNodes.all(new ServerTestNodes.GateControl())))
                .start();
        HttpClient http = HttpClient.newHttpClient();
        URI prompt = URI.create("http://127.0.0.1:" + server.port() + "/prompt");
        try (WsRecorder ws = WsRecorder.connect(http, URI.create("ws://127.0.0.1:" + server.port() + "/ws?clientId=bench"))) {
            ws.next();
            for (int i = 0; i < WARMUP; i++) {
                roundTrip(http, prompt, ws, i);
            }
            long[] nanos = new long[MEASURED];
            for (int i = 0; i < MEASURED; i++) {
                nanos[i] = roundTrip(http, prompt, ws, WARMUP + i);
            }
            Arrays.sort(nanos);
            System.out.printf("BENCH server_prompt_roundtrip_p50 %.2f ms%n", nanos[MEASURED / 2] / 1e6);
            System.out.printf("BENCH server_prompt_roundtrip_p99 %.2f ms%n", nanos[MEASURED * 99 / 100] / 1e6);

            long start = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < MEASURED; i++) {
                ids.add(post(http, prompt, WARMUP + MEASURED + i));
            }
            for (String id : ids) {
                ws.untilDone(id);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("BENCH server_prompt_throughput %.0f prompts/s%n", MEASURED / seconds);
        } finally {
            server.close();
        }
    }

    private static long roundTrip(HttpClient http, URI prompt, WsRecorder ws, int i) throws Exception {
        long start = System.nanoTime();
        ws.untilDone(post(http, prompt, i));
        return System.nanoTime() - start;
    }

    /** A distinct label each time, so nothing is served from the cache. */
    private static String post(HttpClient http, URI prompt, int i) throws Exception {
        ObjectNode body = Json.object();
        body.set("prompt", Prompts.steps(0, "run " + i));
        body.put("client_id", "bench");
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(prompt).POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.parseTrusted(response.body()).path("prompt_id").asText();
    }
}
