package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.TestServer.Response;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's files over HTTP (spec §3.15): {@code /userdata}, {@code /v2/userdata}, confinement. */
class UserdataHttpTest {
    private static final String SECRET = "top secret content";

    @TempDir
    Path root;

    private TestServer server;
    private Path user;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(root.resolve("secret.txt"), SECRET);
        server = TestServer.start(Files.createDirectories(root.resolve("data")));
        user = server.dataDir.resolve("user/default");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void post_get_overwrite_fullInfo_roundTrip_withEncodedSlashes() throws IOException {
        String workflow = "{\"nodes\": [], \"version\": 0.4}";
        Response saved = server.post("/api/userdata/workflows%2Fportrait.json", workflow);
        assertEquals(200, saved.status(), saved.body());
        assertEquals("workflows/portrait.json", saved.json().asText());
        assertEquals(workflow, Files.readString(user.resolve("workflows/portrait.json")));

        Response read = server.get("/api/userdata/workflows%2Fportrait.json");
        assertEquals(200, read.status());
        assertEquals(workflow, read.body());
        assertEquals("attachment", read.headers().firstValue("Content-Disposition").orElse(""));
        assertEquals("nosniff", read.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals(read.body(), server.get("/userdata/workflows%2Fportrait.json").body(), "plain path too");

        assertEquals(409, server.post("/userdata/workflows%2Fportrait.json?overwrite=false", "{}").status());
        assertEquals(workflow, Files.readString(user.resolve("workflows/portrait.json")), "409 wrote nothing");
        Response replaced = server.post("/userdata/workflows%2Fportrait.json?full_info=true", "{\"v\": 2}");
        assertEquals(200, replaced.status());
        JsonNode info = replaced.json();
        assertEquals("workflows/portrait.json", info.path("path").asText());
        assertEquals(8, info.path("size").asLong());
        assertEquals(Files.getLastModifiedTime(user.resolve("workflows/portrait.json")).toMillis(),
                info.path("modified").asLong());
        assertTrue(info.path("created").isIntegralNumber());
        assertEquals(404, server.get("/userdata/workflows%2Fmissing.json").status());
        assertTrue(server.get("/users").json().path("migrated").asBoolean());
    }

    @Test
    void move_delete_andTheirErrors() throws IOException {
        server.post("/userdata/workflows%2Fa.json", "A");
        server.post("/userdata/workflows%2Fb.json", "B");
        Response clash = server.post("/api/userdata/workflows%2Fa.json/move/workflows%2Fb.json?overwrite=false", "");
        assertEquals(409, clash.status());
        Response moved = server.post("/api/userdata/workflows%2Fa.json/move/archive%2F2024%2Fa.json?full_info=true", "");
        assertEquals(200, moved.status(), moved.body());
        assertEquals("archive/2024/a.json", moved.json().path("path").asText());
        assertEquals("A", Files.readString(user.resolve("archive/2024/a.json")));
        assertFalse(Files.exists(user.resolve("workflows/a.json")));
        assertEquals(404, server.post("/userdata/workflows%2Fa.json/move/c.json", "").status());

        Response deleted = server.send(HttpRequest.newBuilder(server.uri("/api/userdata/workflows%2Fb.json")).DELETE().build());
        assertEquals(204, deleted.status());
        assertFalse(Files.exists(user.resolve("workflows/b.json")));
        assertEquals(404, server.send(HttpRequest.newBuilder(server.uri("/userdata/workflows%2Fb.json")).DELETE().build())
                .status());
    }

    @Test
    void writeBelowAFile_is400_moveOntoItself_keepsTheFile() throws IOException {
        server.post("/userdata/a.json", "A");
        Response below = server.post("/userdata/a.json%2Fchild.json", "C");
        assertEquals(400, below.status(), below.body());
        assertTrue(below.json().path("error").asText().contains("is a file"), below.body());
        assertEquals(400, server.post("/userdata/.", "X").status(), "the user folder itself is no file");
        Response same = server.post("/userdata/a.json/move/a.json", "");
        assertEquals(200, same.status());
        assertEquals("A", Files.readString(user.resolve("a.json")));
    }

    @Test
    void list_dirRecurseSplitFullInfo_andV2() throws IOException {
        server.post("/userdata/workflows%2Fb.json", "bb");
        server.post("/userdata/workflows%2FA.json", "a");
        server.post("/userdata/workflows%2Fnested%2Fc.json", "ccc");

        assertEquals(Json.parseTrusted("[\"A.json\", \"b.json\"]"), server.get("/api/userdata?dir=workflows").json());
        assertEquals(Json.parseTrusted("[\"A.json\", \"b.json\", \"nested/c.json\"]"),
                server.get("/userdata?dir=workflows&recurse=true").json());
        assertEquals(Json.parseTrusted("[[\"A.json\", \"A.json\"], [\"b.json\", \"b.json\"], [\"nested/c.json\", \"nested\", \"c.json\"]]"),
                server.get("/userdata?dir=workflows&recurse=true&split=true").json());
        JsonNode full = server.get("/userdata?dir=workflows&recurse=true&full_info=true").json();
        assertEquals("nested/c.json", full.get(2).path("path").asText());
        assertEquals(3, full.get(2).path("size").asLong());
        assertEquals(400, server.get("/userdata").status());
        assertEquals(400, server.get("/userdata?dir=").status());
        assertEquals(404, server.get("/userdata?dir=nothing").status());

        JsonNode all = server.get("/api/v2/userdata").json();
        assertEquals("directory", all.get(0).path("type").asText());
        assertEquals("workflows/nested", all.get(0).path("path").asText(), "by name: nested < workflows");
        assertEquals("workflows", all.get(1).path("path").asText());
        List<String> files = all.findValuesAsText("name").subList(2, 5);
        assertEquals(List.of("A.json", "b.json", "c.json"), files, "folders first, then files by name ignoring case");
        assertEquals(3, all.get(4).path("size").asLong());
        assertTrue(all.get(4).path("modified").isFloatingPointNumber());
        JsonNode nested = server.get("/v2/userdata?path=workflows%2Fnested").json();
        assertEquals(1, nested.size());
        assertEquals("workflows/nested/c.json", nested.get(0).path("path").asText());
        assertEquals(404, server.get("/v2/userdata?path=nothing").status());
        assertEquals(400, server.get("/v2/userdata?path=workflows%2Fb.json").status());
    }

    /** Escape attempts: each refused with 400 or 403 on every method, nothing read or written outside. */
    @Test
    void escapeAttempts_areRefused_andTouchNothingOutside() throws IOException {
        Files.createSymbolicLink(user.resolve("link"), root);
        Files.createSymbolicLink(user.resolve("outside.txt"), root.resolve("secret.txt"));
        List<String> attempts = List.of(
                "..%2F..%2F..%2Fsecret.txt",
                "%2E%2E%2F%2E%2E%2F%2E%2E%2Fsecret.txt",
                "..%5C..%5C..%5Csecret.txt",
                "a%2F..%2F..%2F..%2F..%2Fsecret.txt",
                "%2Ftmp%2Fbakehouse-userdata-evil.txt",
                "%2F" + root.resolve("secret.txt").toString().substring(1).replace("/", "%2F"),
                "secret.txt%00.json",
                "link%2Fsecret.txt",
                "outside.txt",
                "..");
        for (String attempt : attempts) {
            for (String prefix : List.of("", "/api")) {
                String path = prefix + "/userdata/" + attempt;
                Response get = server.get(path);
                assertRefused(get, "GET " + path);
                assertFalse(get.body().contains(SECRET), "leaked by GET " + path);
                assertRefused(server.post(path + "?overwrite=true", "evil"), "POST " + path);
                assertRefused(server.send(HttpRequest.newBuilder(server.uri(path)).DELETE().build()), "DELETE " + path);
                assertRefused(server.post(prefix + "/userdata/" + attempt + "/move/moved.txt", ""), "move from " + path);
            }
        }
        Files.writeString(user.resolve("mine.txt"), "mine");
        for (String attempt : attempts) {
            assertRefused(server.post("/userdata/mine.txt/move/" + attempt, ""), "move to " + attempt);
        }
        for (String dir : List.of("..", "%2Ftmp", "..%2F..", "link", "a%2F..%2F..")) {
            assertRefused(server.get("/userdata?dir=" + dir), "list " + dir);
            assertRefused(server.get("/v2/userdata?path=" + dir), "v2 list " + dir);
        }
        assertEquals(SECRET, Files.readString(root.resolve("secret.txt")));
        assertTrue(Files.exists(user.resolve("mine.txt")));
        assertFalse(Files.exists(root.resolve("moved.txt")));
        assertFalse(Files.exists(Path.of("/tmp/bakehouse-userdata-evil.txt")));
        try (var outside = Files.list(root)) {
            assertEquals(List.of("data", "secret.txt"), outside.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // Decoded once: "%252e%252e%252f" is the literal name "%2e%2e%2fsecret.txt" inside the folder.
        assertEquals(404, server.get("/userdata/%252e%252e%252fsecret.txt").status());
    }

    private static void assertRefused(Response response, String what) {
        assertTrue(response.status() == 400 || response.status() == 403,
                what + " answered " + response.status() + ": " + response.body());
    }
}
