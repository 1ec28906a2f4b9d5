package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.WsRecorder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code --auth-token}, every HTTP request and WebSocket upgrade must carry the token. */
class AuthTokenTest {
    private static final String TOKEN = "s3cret-token";

    @TempDir
    Path dataDir;

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dataDir, c -> c.withAuthToken(TOKEN));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void http_withoutOrWithWrongToken_is401() {
        assertEquals(401, server.get("/prompt").status());
        assertEquals(401, server.get("/api/system_stats?token=wrong").status());
        assertEquals(401, server.post("/interrupt", "").status());
        assertEquals(401, server.send(HttpRequest.newBuilder(server.uri("/queue"))
                .header("Authorization", "Bearer nope").GET().build()).status());
    }

    @Test
    void http_withBearerHeaderOrQueryToken_passes() {
        assertEquals(200, server.send(HttpRequest.newBuilder(server.uri("/queue"))
                .header("Authorization", "Bearer " + TOKEN).GET().build()).status());
        assertEquals(200, server.get("/prompt?token=" + TOKEN).status());
    }

    @Test
    void websocket_upgradeNeedsTheToken() throws Exception {
        URI base = URI.create("ws://127.0.0.1:" + server.server.port() + "/ws?clientId=a");
        CompletionException refused = assertThrows(CompletionException.class, () -> WsRecorder.connect(server.http, base));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(401, handshake.getResponse().statusCode());
        try (WsRecorder ws = WsRecorder.connect(server.http, URI.create(base + "&token=" + TOKEN))) {
            assertEquals("a", ws.next().path("data").path("sid").asText());
        }
    }
}
