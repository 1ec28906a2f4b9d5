package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.bakehouse.server.testing.Multipart;
import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.TestServer.Response;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path traversal over HTTP: {@code /view} and {@code /upload/image} never leave their areas. */
class PathSafetyHttpTest {
    private static final String SECRET = "top secret content";

    @TempDir
    Path root;

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(root.resolve("secret.txt"), SECRET);
        Path dataDir = Files.createDirectories(root.resolve("data"));
        server = TestServer.start(dataDir);
        Files.writeString(dataDir.resolve("output/ok.txt"), "fine");
        Files.createSymbolicLink(dataDir.resolve("output/link.txt"), root.resolve("secret.txt"));
        Files.createSymbolicLink(dataDir.resolve("input/escape"), root);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Raw query strings, percent-encoded tricks included, with the status the spec names. */
    private static final List<Object[]> VIEW_ATTEMPTS = List.of(
            new Object[] {"filename=../secret.txt", 400},
            new Object[] {"filename=..%2Fsecret.txt", 400},
            new Object[] {"filename=%2e%2e%2fsecret.txt", 400},
            new Object[] {"filename=%2E%2E/%2E%2E/secret.txt", 400},
            new Object[] {"filename=..%5C..%5Csecret.txt", 400},
            new Object[] {"filename=%2Fetc%2Fpasswd", 400},
            new Object[] {"filename=ok.txt%00.png", 400},
            new Object[] {"filename=secret.txt&subfolder=..%2F..", 403},
            new Object[] {"filename=secret.txt&subfolder=%2E%2E/%2E%2E", 403},
            new Object[] {"filename=secret.txt&subfolder=%2F", 403},
            new Object[] {"filename=bakehouse.db&subfolder=..", 403},
            new Object[] {"filename=secret.txt&subfolder=..%5C..", 400},
            new Object[] {"filename=ok.txt&type=..%2Foutput", 400},
            new Object[] {"filename=link.txt", 403},
            new Object[] {"filename=secret.txt&type=input&subfolder=escape", 403},
            new Object[] {"filename=%252e%252e%252fsecret.txt", 404});

    @Test
    void view_traversalAttempts_areRefusedWithSpecStatus() {
        assertEquals(200, server.get("/view?filename=ok.txt").status(), "the control case works");
        for (Object[] attempt : VIEW_ATTEMPTS) {
            for (String prefix : List.of("", "/api")) {
                Response response = server.get(prefix + "/view?" + attempt[0]);
                assertEquals(attempt[1], response.status(), prefix + "/view?" + attempt[0]);
                assertFalse(response.body().contains(SECRET), "leaked by " + attempt[0]);
            }
        }
    }

    @Test
    void upload_traversalAttempts_areRefusedAndWriteNothingOutside() throws Exception {
        String[][] attempts = {
            {"../evil.png", ""}, {"../../evil.png", ""}, {"/tmp/bakehouse-evil.png", ""},
            {"evil.png", "../.."}, {"evil.png", "/tmp"}, {"evil.png", "..\\.."}, {"evil.png", "a/../../.."},
            {"evil.png", "escape"}, {"evil.png", "%2e%2e"}, {"sub/../../evil.png", ""},
        };
        for (String[] attempt : attempts) {
            Response response = server.send(new Multipart().field("subfolder", attempt[1])
                    .file("image", attempt[0], new byte[] {1, 2, 3})
                    .into(HttpRequest.newBuilder(server.uri("/upload/image"))).build());
            if (attempt[1].equals("%2e%2e")) {
                // Form fields are not URL-decoded: "%2e%2e" is an ordinary folder name inside input.
                assertEquals(200, response.status(), response.body());
                continue;
            }
            assertEquals(400, response.status(), attempt[0] + " in '" + attempt[1] + "': " + response.body());
        }
        assertFalse(Files.exists(root.resolve("evil.png")));
        assertFalse(Files.exists(root.resolve("data/evil.png")));
        assertFalse(Files.exists(Path.of("/tmp/evil.png")));
        assertFalse(Files.exists(Path.of("/tmp/bakehouse-evil.png")));
        Response badType = server.send(new Multipart().field("type", "../output").file("image", "a.png", new byte[] {1})
                .into(HttpRequest.newBuilder(server.uri("/upload/image"))).build());
        assertEquals(400, badType.status());
        Response noFile = server.send(new Multipart().field("type", "input")
                .into(HttpRequest.newBuilder(server.uri("/upload/image"))).build());
        assertEquals(400, noFile.status());
    }

    @Test
    void upload_overTheSizeLimit_isRefused() throws Exception {
        server.close();
        server = TestServer.start(Files.createDirectories(root.resolve("small")), c -> c.withMaxUploadBytes(1024));
        assertEquals(1024, server.get("/features").json().path("max_upload_size").asLong());
        Response big = server.send(new Multipart().file("image", "big.png", new byte[4096])
                .into(HttpRequest.newBuilder(server.uri("/upload/image"))).build());
        assertEquals(413, big.status(), big.body());
        assertFalse(Files.exists(root.resolve("small/input/big.png")));
    }
}
