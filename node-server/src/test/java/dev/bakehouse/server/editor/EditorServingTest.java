package dev.bakehouse.server.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.TestServer.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The editor from frontend-bridge's jar is served at {@code /} unless {@code --web-root} says otherwise. */
class EditorServingTest {
    @TempDir
    Path dir;

    @Test
    void noWebRoot_servesTheBundledEditor_withoutToken_unknownPathsStill404() throws Exception {
        try (TestServer server = TestServer.start(Files.createDirectories(dir.resolve("data")), c -> c.withAuthToken("t"))) {
            assertTrue(server.server.servesEditor());
            Response index = server.get("/");
            assertEquals(200, index.status());
            assertTrue(index.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(index.body().contains("<script type=\"module\" src=\"editor.js\">"), index.body());
            Response script = server.get("/editor.js");
            assertEquals(200, script.status());
            assertTrue(script.body().contains("LGraphCanvas") || script.body().length() > 100_000,
                    "the bundle carries litegraph");
            assertEquals(200, server.get("/editor.css").status());
            assertEquals(401, server.get("/manager/version").status(), "not a static file: the API guard applies");
            assertEquals(404, server.get("/manager/version?token=t").status(), "no SPA fallback (spec 1.4)");
            int escape = server.get("/../pom.xml?token=t").status();
            assertTrue(escape == 400 || escape == 404, "a path out of the editor's folder is refused: " + escape);
        }
    }

    @Test
    void webRoot_replacesTheBundledEditor() throws Exception {
        Path web = Files.createDirectories(dir.resolve("web"));
        Files.writeString(web.resolve("index.html"), "<h1>official frontend</h1>");
        try (TestServer server = TestServer.start(Files.createDirectories(dir.resolve("data")), c -> c.withWebRoot(web))) {
            assertEquals("<h1>official frontend</h1>", server.get("/").body());
            assertFalse(server.get("/editor.js").status() == 200, "the bundled editor is not mixed in");
        }
    }
}
