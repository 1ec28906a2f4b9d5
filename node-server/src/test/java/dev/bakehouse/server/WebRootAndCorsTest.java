package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.TestServer.Response;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --web-root} serves an editor's files at {@code /}; {@code --cors-origin} opens the API to it. */
class WebRootAndCorsTest {
    @TempDir
    Path dir;

    @Test
    void webRoot_servesFilesWithoutToken_apiStillNeedsIt_unknownPaths404() throws Exception {
        Path web = Files.createDirectories(dir.resolve("web"));
        Files.writeString(web.resolve("index.html"), "<h1>editor</h1>");
        Files.writeString(web.resolve("app.js"), "console.log(1)");
        try (TestServer server = TestServer.start(Files.createDirectories(dir.resolve("data")),
                c -> c.withWebRoot(web).withAuthToken("t"))) {
            Response index = server.get("/");
            assertEquals(200, index.status());
            assertTrue(index.body().contains("editor"));
            assertEquals(200, server.get("/app.js").status());
            assertEquals(401, server.get("/missing.js").status(), "not a static file: the API guard applies");
            assertEquals(404, server.get("/missing.js?token=t").status());
            assertEquals(401, server.get("/prompt").status());
            assertEquals(200, server.get("/prompt?token=t").status());
        }
    }

    @Test
    void corsOrigin_addsHeaders_answersPreflight_andAllowsThatOrigin() throws Exception {
        String origin = "http://localhost:5173";
        try (TestServer server = TestServer.start(dir, c -> c.withCorsOrigin(origin))) {
            Response get = server.send(HttpRequest.newBuilder(server.uri("/queue")).header("Origin", origin).GET().build());
            assertEquals(200, get.status());
            assertEquals(origin, get.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            assertTrue(get.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
            Response preflight = server.send(HttpRequest.newBuilder(server.uri("/api/prompt"))
                    .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, preflight.status());
            assertEquals("POST, GET, DELETE, PUT, OPTIONS",
                    preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""));
        }
    }
}
