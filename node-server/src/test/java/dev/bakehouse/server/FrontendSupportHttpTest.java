package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.TestServer.Response;
import dev.bakehouse.server.testing.WsRecorder;
import java.net.http.HttpRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routes the official ComfyUI frontend needs (spec §3.15) over a real server: users,
 * settings (persisted across a restart), the model library, catalogs, logs and the
 * {@code /internal} routes, which exist only without the {@code /api} prefix (spec §1.1).
 */
class FrontendSupportHttpTest {
    @TempDir
    Path root;

    @Test
    void users_singleUserMode_ignoresComfyUserHeader_andRefusesCreation() {
        try (TestServer server = TestServer.start(root)) {
            for (String prefix : List.of("", "/api")) {
                assertEquals(Json.parseTrusted("{\"storage\": \"server\", \"migrated\": true}"),
                        server.get(prefix + "/users").json());
            }
            Response create = server.post("/api/users", "{\"username\": \"alice\"}");
            assertEquals(400, create.status());
            assertTrue(create.json().path("error").asText().contains("single-user"), create.body());
        }
    }

    @Test
    void settings_mergeAndPut_surviveARestart_inComfyUisFile() throws IOException {
        try (TestServer server = TestServer.start(root)) {
            assertEquals(Json.object(), server.get("/api/settings").json());
            assertEquals(200, server.post("/api/settings", "{\"Comfy.ColorPalette\": \"dark\", \"Comfy.Locale\": \"en\"}").status());
            assertEquals(200, server.post("/api/settings", "{\"Comfy.Locale\": \"fr\"}").status(), "merged, not replaced");
            assertEquals(200, server.post("/settings/Comfy.Workflow.SortNodeIdOnSave", "true").status());
            assertEquals(200, server.post("/settings/Comfy.Keybinding.UnsetBindings", "[{\"key\": \"r\"}]").status());
            assertEquals(400, server.post("/settings/Comfy.Broken", "{not json").status());
            assertEquals(400, server.post("/settings", "[1, 2]").status(), "POST /settings takes an object");
        }
        try (TestServer server = TestServer.start(root)) {
            JsonNode expected = Json.parseTrusted("{\"Comfy.ColorPalette\": \"dark\", \"Comfy.Locale\": \"fr\","
                    + " \"Comfy.Workflow.SortNodeIdOnSave\": true, \"Comfy.Keybinding.UnsetBindings\": [{\"key\": \"r\"}]}");
            assertEquals(expected, server.get("/settings").json());
            assertEquals("fr", server.get("/api/settings/Comfy.Locale").json().asText());
            assertEquals("null", server.get("/api/settings/Comfy.Never.Set").body());
            assertEquals(expected, Json.parseTrusted(Files.readString(root.resolve("user/default/comfy.settings.json"))));
            assertEquals(expected, Json.parseTrusted(server.get("/api/userdata/comfy.settings.json").body()),
                    "the frontend sees the same file through /userdata, as in ComfyUI");
        }
    }

    @Test
    void experimentModels_listFoldersAndFilesWithPathIndex() throws IOException {
        Path comfy = Files.createDirectories(root.resolve("comfy/models/loras"));
        Files.write(comfy.resolve("style.safetensors"), new byte[7]);
        Path data = root.resolve("data");
        Files.createDirectories(data.resolve("models/loras/people"));
        Files.write(data.resolve("models/loras/people/face.safetensors"), new byte[5]);
        Files.writeString(data.resolve("models/loras/notes.txt"), "not a model");
        try (TestServer server = TestServer.start(data, c -> c.withExtraModelDirs(List.of(root.resolve("comfy"))))) {
            JsonNode folders = server.get("/api/experiment/models").json();
            JsonNode loras = folders.get(1);
            assertEquals("loras", loras.path("name").asText());
            assertEquals(data.resolve("models/loras").toString(), loras.path("folders").get(0).asText());
            assertEquals(comfy.toAbsolutePath().toString(), loras.path("folders").get(1).asText());

            JsonNode files = server.get("/experiment/models/loras").json();
            assertEquals(2, files.size(), files.toString());
            assertEquals("people/face.safetensors", files.get(0).path("name").asText());
            assertEquals(0, files.get(0).path("pathIndex").asInt());
            assertEquals(5, files.get(0).path("size").asLong());
            assertEquals("style.safetensors", files.get(1).path("name").asText());
            assertEquals(1, files.get(1).path("pathIndex").asInt());
            assertTrue(files.get(1).path("modified").isFloatingPointNumber());
            assertEquals(404, server.get("/api/experiment/models/nothing").status());
        }
    }

    @Test
    void catalogs_logs_folderPaths_internalOnlyWithoutApiPrefix() {
        try (TestServer server = TestServer.start(root)) {
            assertEquals(Json.object(), server.get("/api/workflow_templates").json());
            assertEquals(Json.object(), server.get("/workflow_templates").json());
            assertEquals(Json.object(), server.get("/api/i18n").json());
            Response subgraphs = server.get("/api/global_subgraphs");
            assertEquals(200, subgraphs.status(), "newer frontends fetch subgraph blueprints at start-up");
            assertEquals(Json.object(), subgraphs.json());

            // Whatever the process writes to its console is the server log (the serve command's
            // one line, the loggers' lines); this test writes its own line.
            String listening = "console line of port " + server.server.port();
            System.err.println(listening);
            assertTrue(server.get("/internal/logs").json().asText().contains(listening));
            JsonNode raw = server.get("/internal/logs/raw").json();
            assertEquals(80, raw.path("size").path("cols").asInt());
            assertEquals(24, raw.path("size").path("rows").asInt());
            JsonNode line = null;
            for (JsonNode entry : raw.path("entries")) {
                line = entry.path("m").asText().contains(listening) ? entry : line;
            }
            assertTrue(line != null && line.path("m").asText().endsWith("\n"), raw.toString());
            assertTrue(line.path("t").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), line.toString());

            JsonNode paths = server.get("/internal/folder_paths").json();
            assertEquals(root.resolve("models/checkpoints").toString(), paths.path("checkpoints").get(0).asText());
            for (String internal : List.of("/internal/logs", "/internal/logs/raw", "/internal/folder_paths",
                    "/internal/files/output")) {
                assertEquals(200, server.get(internal).status(), internal);
                assertEquals(404, server.get("/api" + internal).status(), "/api" + internal);
            }
        }
    }

    @Test
    void logsSubscribe_pushesNewConsoleLinesToThatClient_untilDisabled() throws InterruptedException {
        try (TestServer server = TestServer.start(root); WsRecorder ws = server.ws("log-viewer")) {
            ws.awaitType("status");
            List<JsonNode> seen = new ArrayList<>();
            assertEquals(400, patch(server, "/internal/logs/subscribe", "{\"enabled\": true}").status());
            assertEquals(404, patch(server, "/api/internal/logs/subscribe", "{\"clientId\": \"log-viewer\"}").status());
            assertEquals(200, patch(server, "/internal/logs/subscribe", "{\"clientId\": \"log-viewer\", \"enabled\": true}")
                    .status());
            System.err.println("log-marker-one");
            JsonNode first = awaitLogLine(ws, "log-marker-one", seen);
            assertEquals(80, first.path("data").path("size").path("cols").asInt());
            assertTrue(first.path("data").path("entries").get(0).path("t").isTextual());

            patch(server, "/internal/logs/subscribe", "{\"clientId\": \"log-viewer\", \"enabled\": false}");
            System.err.println("log-marker-two");
            patch(server, "/internal/logs/subscribe", "{\"clientId\": \"log-viewer\", \"enabled\": true}");
            System.err.println("log-marker-three");
            awaitLogLine(ws, "log-marker-three", seen);
            assertTrue(ws.drain().stream().noneMatch(m -> m.toString().contains("log-marker-two")));
            assertFalse(seen.stream().anyMatch(m -> m.toString().contains("log-marker-two")),
                    "a line written while unsubscribed is not sent");
        }
    }

    /** Skips messages until a {@code logs} message carrying the marker arrives; keeps what it skipped. */
    private static JsonNode awaitLogLine(WsRecorder ws, String marker, List<JsonNode> seen) throws InterruptedException {
        while (true) {
            JsonNode message = ws.awaitType("logs");
            seen.add(message);
            if (message.toString().contains(marker)) {
                return message;
            }
        }
    }

    private static Response patch(TestServer server, String path, String body) {
        return server.send(HttpRequest.newBuilder(server.uri(path))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void internalFiles_newestFirst_filesOnly_badTypeIs400() throws IOException {
        try (TestServer server = TestServer.start(root)) {
            Path output = root.resolve("output");
            long now = System.currentTimeMillis();
            for (String[] file : new String[][] {{"old.png", "3"}, {"newest.png", "1"}, {"middle.png", "2"}}) {
                Path written = Files.writeString(output.resolve(file[0]), file[0]);
                Files.setLastModifiedTime(written, FileTime.fromMillis(now - 60_000L * Integer.parseInt(file[1])));
            }
            Files.createDirectories(output.resolve("a-folder"));
            assertEquals(Json.parseTrusted("[\"newest.png\", \"middle.png\", \"old.png\"]"),
                    server.get("/internal/files/output").json());
            assertEquals(Json.array(), server.get("/internal/files/temp").json());
            for (String type : List.of("models", "user", "..", "OUTPUT")) {
                Response bad = server.get("/internal/files/" + type);
                assertEquals(400, bad.status(), type);
                assertEquals(Json.parseTrusted("{\"error\": \"Invalid directory type\"}"), bad.json());
            }
        }
    }
}
