package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.TestServer.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Bakehouse panels as a ComfyUI frontend extension: listed by {@code /extensions} and served
 * from the frontend-bridge jar even when {@code --web-root} serves another frontend, without the
 * auth token (a browser's import() cannot send it) while the API still needs it.
 */
class ExtensionScriptsHttpTest {
    private static final String SCRIPT = "/extensions/bakehouse/bakehouse-panels.js";

    @TempDir
    Path root;

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        Path webRoot = Files.createDirectories(root.resolve("comfy-frontend"));
        Files.writeString(webRoot.resolve("index.html"), "<html>official frontend stand-in</html>");
        server = TestServer.start(Files.createDirectories(root.resolve("data")),
                config -> config.withWebRoot(webRoot).withAuthToken("s3cret"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void extensions_listsThePanelsScript_whichIsServedAsJavaScriptWithoutTheToken() {
        Response listed = server.get("/api/extensions?token=s3cret");
        assertEquals(200, listed.status(), listed.body());
        assertEquals("[\"" + SCRIPT + "\"]", listed.body().replace(" ", ""));
        Response script = server.get(SCRIPT);
        assertEquals(200, script.status());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertTrue(script.body().contains("registerExtension") && script.body().contains("bakehouse.train"),
                "the bundle registers the extension and listens to bakehouse.train");
        assertEquals(404, server.get("/extensions/bakehouse/other.js?token=s3cret").status());
        assertEquals(401, server.get("/api/extensions").status(), "the API still needs the token");
    }
}
