package dev.bakehouse.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bakehouse.server.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client that records every text message, for asserting exact sequences. */
public final class WsRecorder implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsRecorder(HttpClient http, URI uri) {
        this.socket = http.newWebSocketBuilder().buildAsync(uri, new Listener()).join();
    }

    public static WsRecorder connect(HttpClient http, URI uri) {
        return new WsRecorder(http, uri);
    }

    /** The next message, failing after 30 s. */
    public JsonNode next() throws InterruptedException {
        JsonNode message = messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no WebSocket message within " + TIMEOUT_SECONDS + " s");
        }
        return message;
    }

    /** Skips messages until one of this type arrives, and returns it. */
    public JsonNode awaitType(String type) throws InterruptedException {
        while (true) {
            JsonNode message = next();
            if (type.equals(message.path("type").asText())) {
                return message;
            }
        }
    }

    /** Every message up to and including {@code executing {node: null, prompt_id}}. */
    public List<JsonNode> untilDone(String promptId) throws InterruptedException {
        List<JsonNode> seen = new ArrayList<>();
        while (true) {
            JsonNode message = next();
            seen.add(message);
            JsonNode data = message.path("data");
            if ("executing".equals(message.path("type").asText())
                    && data.path("node").isNull()
                    && promptId.equals(data.path("prompt_id").asText())) {
                return seen;
            }
        }
    }

    /** Messages already received and not yet taken. */
    public List<JsonNode> drain() {
        List<JsonNode> rest = new ArrayList<>();
        messages.drainTo(rest);
        return rest;
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** Completes with the close status code when the server closes the socket. */
    public CompletableFuture<Integer> closed() {
        return closed;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(Json.parseTrusted(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        /** Binary frames are recorded as {@code {"type": "binary", "data": {event, bytes}}}. */
        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                byte[] frame = binary.toByteArray();
                binary.reset();
                com.fasterxml.jackson.databind.node.ObjectNode message = Json.object();
                message.put("type", "binary");
                message.putObject("data").put("event", ByteBuffer.wrap(frame).getInt()).put("bytes", frame);
                messages.add(message);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
