package dev.bakehouse.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.BasicNodes;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.server.BakehouseServer;
import dev.bakehouse.server.ServerConfig;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.queue.DelayedTasks;
import dev.bakehouse.server.store.HistoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A real server on a free loopback port with a temporary data dir, plus an HTTP client for it. */
public final class TestServer implements AutoCloseable {
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    public final ServerTestNodes.GateControl gate;
    public final BakehouseServer server;
    public final Path dataDir;

    /** A plain HTTP answer. */
    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            return Json.parseTrusted(body);
        }
    }

    private TestServer(Path dataDir, ServerTestNodes.GateControl gate, DelayedTasks scheduler, UnaryOperator<ServerConfig> tweak) {
        this(dataDir, gate, scheduler, tweak, store -> store);
    }

    private TestServer(Path dataDir, ServerTestNodes.GateControl gate, DelayedTasks scheduler, UnaryOperator<ServerConfig> tweak,
            UnaryOperator<HistoryStore> history) {
        this.dataDir = dataDir;
        this.gate = gate;
        ServerConfig config = tweak.apply(ServerConfig.defaults(dataDir).withPort(0));
        BakehouseServer.Builder builder = BakehouseServer.builder(config)
                .nodes(dirs -> NodeRegistry.of(BasicNodes.all(dirs)).with(ServerTestNodes.all(gate)))
                .decorateHistory(history);
        if (scheduler != null) {
            builder.scheduler(scheduler);
        }
        this.server = builder.start();
    }

    public static TestServer start(Path dataDir) {
        return new TestServer(dataDir, new ServerTestNodes.GateControl(), null, c -> c);
    }

    public static TestServer start(Path dataDir, ServerTestNodes.GateControl gate) {
        return new TestServer(dataDir, gate, null, c -> c);
    }

    public static TestServer start(Path dataDir, DelayedTasks scheduler) {
        return new TestServer(dataDir, new ServerTestNodes.GateControl(), scheduler, c -> c);
    }

    public static TestServer start(Path dataDir, UnaryOperator<ServerConfig> tweak) {
        return new TestServer(dataDir, new ServerTestNodes.GateControl(), null, tweak);
    }

    /** A server whose history store is wrapped by the test. */
    public static TestServer withHistory(Path dataDir, UnaryOperator<HistoryStore> history) {
        return new TestServer(dataDir, new ServerTestNodes.GateControl(), null, c -> c, history);
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    public WsRecorder ws(String clientId) {
        String query = clientId == null ? "" : "?clientId=" + clientId;
        return WsRecorder.connect(http, URI.create("ws://127.0.0.1:" + server.port() + "/ws" + query));
    }

    public Response get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
    }

    /** POSTs a body with no Content-Type header, as some clients do. */
    public Response post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Response postJson(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public byte[] getBytes(String pathAndQuery) {
        try {
            return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Queues a prompt for a client and returns its prompt id (asserting 200). */
    public String queue(ObjectNode prompt, String clientId) {
        return queue(prompt, clientId, null);
    }

    /** As {@link #queue(ObjectNode, String)}, with the request's {@code extra_data} (null: none). */
    public String queue(ObjectNode prompt, String clientId, ObjectNode extraData) {
        ObjectNode body = Json.object();
        body.set("prompt", prompt);
        if (extraData != null) {
            body.set("extra_data", extraData);
        }
        if (clientId != null) {
            body.put("client_id", clientId);
        }
        Response response = postJson("/prompt", body);
        if (response.status() != 200) {
            throw new AssertionError("POST /prompt answered " + response.status() + ": " + response.body());
        }
        return response.json().path("prompt_id").asText();
    }

    @Override
    public void close() {
        server.close();
    }
}
