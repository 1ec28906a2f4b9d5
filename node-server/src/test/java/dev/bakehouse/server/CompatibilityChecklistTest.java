package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.server.testing.Prompts;
import dev.bakehouse.server.testing.Sequences;
import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.TestServer.Response;
import dev.bakehouse.server.testing.WsRecorder;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per item of the spec's §10 compatibility checklist, against the real server. Item 8
 * (event order and timing) is covered rule by rule in {@link OrderingRulesTest}; items 9 and 12
 * (executed file references, cached output re-sent, PNG tEXt chunks) on the real image nodes in
 * {@link ExecutionFlowTest}; the path-safety half of item 10 in {@link PathSafetyHttpTest}.
 */
class CompatibilityChecklistTest {
    @TempDir
    Path dataDir;

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dataDir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void item1_everyRoute_answersAtPlainPathAndUnderApi() throws Exception {
        for (String prefix : List.of("", "/api")) {
            for (String path : List.of("/prompt", "/queue", "/history", "/history/unknown", "/object_info",
                    "/object_info/PrimitiveInt", "/system_stats", "/features", "/embeddings", "/extensions",
                    "/models", "/models/checkpoints", "/view?filename=missing.png",
                    "/view_metadata/loras?filename=missing.safetensors")) {
                int expected = path.startsWith("/view") ? 404 : 200;
                assertEquals(expected, server.get(prefix + path).status(), prefix + path);
            }
            for (String path : List.of("/queue", "/history", "/interrupt", "/free")) {
                assertEquals(200, server.post(prefix + path, "{}").status(), "POST " + prefix + path);
            }
        }
        try (WsRecorder ws = WsRecorder.connect(server.http, server.uri("/api/ws?clientId=api").resolve(
                "ws://127.0.0.1:" + server.server.port() + "/api/ws?clientId=api"))) {
            JsonNode status = ws.next();
            assertEquals("status", status.path("type").asText());
            assertEquals("api", status.path("data").path("sid").asText());
        }
    }

    @Test
    void item2_jsonBodiesParsedWhateverTheContentType_emptyInterruptBodyAccepted() {
        String body = Json.write(Json.object().set("prompt", Prompts.steps(1, "x")));
        assertEquals(200, server.post("/prompt", body).status(), "no Content-Type at all");
        Response textPlain = server.send(HttpRequest.newBuilder(server.uri("/prompt"))
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(200, textPlain.status(), textPlain.body());
        Response interrupt = server.post("/interrupt", "");
        assertEquals(200, interrupt.status());
        assertEquals("{}", interrupt.body());
    }

    @Test
    void item3_unknownQueryParametersIgnored_unknownPaths404WithoutSpaFallback() {
        assertEquals(200, server.get("/prompt?clientId=abc&whatever=1").status());
        assertEquals(200, server.get("/history?clientId=abc&max_items=x").status());
        assertEquals(404, server.get("/manager/version").status());
        assertEquals(200, server.get("/").status(), "/ is the bundled editor, not an SPA fallback");
        assertEquals(404, server.get("/api/no/such/route").status());
    }

    @Test
    void item4_postPrompt_returnsIdNumberNodeErrors_honoursClientId_400ShapeOnFailure() {
        ObjectNode request = Json.object();
        request.set("prompt", Prompts.steps(1, "a"));
        request.put("prompt_id", 5);
        Response accepted = server.postJson("/prompt", request);
        assertEquals(200, accepted.status());
        assertEquals(List.of("prompt_id", "number", "node_errors"), fieldNames(accepted.json()));
        assertEquals("5", accepted.json().path("prompt_id").asText(), "Python's str() of a number");
        assertTrue(accepted.json().path("number").isIntegralNumber());
        assertEquals(Json.object(), accepted.json().path("node_errors"));

        Response noPrompt = server.post("/prompt", "{}");
        assertEquals(400, noPrompt.status());
        assertEquals("no_prompt", noPrompt.json().path("error").path("type").asText());
        assertEquals(List.of("type", "message", "details", "extra_info"), fieldNames(noPrompt.json().path("error")));
        assertTrue(noPrompt.json().path("node_errors").isObject());

        ObjectNode badNode = Prompts.steps(1, "a");
        ((ObjectNode) badNode.path("1").path("inputs")).put("steps", 5000);
        Response invalid = server.postJson("/prompt", Json.object().set("prompt", badNode));
        assertEquals(400, invalid.status());
        assertEquals("prompt_outputs_failed_validation", invalid.json().path("error").path("type").asText());
        assertEquals("value_bigger_than_max",
                invalid.json().path("node_errors").path("1").path("errors").path(0).path("type").asText());

        Response malformed = server.post("/prompt", "{\"prompt\": ");
        assertEquals(400, malformed.status());
        assertEquals("invalid_prompt", malformed.json().path("error").path("type").asText());
        assertTrue(malformed.json().path("node_errors").isObject());
    }

    @Test
    void item4_queueCounter_advancesOnRejectedAndPromptlessRequests_secretsNeverReturned() throws Exception {
        long first = server.postJson("/prompt", Json.object().set("prompt", Prompts.steps(0, "a"))).json()
                .path("number").asLong();
        assertEquals(400, server.post("/prompt", "{}").status());
        assertEquals(400, server.post("/prompt", "{\"prompt\": {\"1\": {\"class_type\": \"Nope\"}}}").status());
        ObjectNode withSecrets = Json.object();
        withSecrets.set("prompt", Prompts.gate(7));
        withSecrets.putObject("extra_data").put("api_key_comfy_org", "k").put("auth_token_comfy_org", "t").put("keep", 1);
        withSecrets.put("client_id", "sec");
        JsonNode accepted = server.postJson("/prompt", withSecrets).json();
        assertEquals(first + 3, accepted.path("number").asLong(), "two rejected requests used numbers too");
        server.gate.awaitEntered();
        JsonNode running = server.get("/queue").json().path("queue_running").path(0).path(3);
        assertEquals(List.of("keep", "client_id"), fieldNames(running));
        server.gate.open();
        try (WsRecorder ws = server.ws("sec")) {
            ws.next();
            String id = accepted.path("prompt_id").asText();
            if (!server.get("/history/" + id).json().has(id)) {
                ws.untilDone(id);
            }
            JsonNode stored = server.get("/history/" + id).json().path(id).path("prompt").path(3);
            assertEquals(List.of("keep", "client_id"), fieldNames(stored));
        }
    }

    @Test
    void item5_historyOfOnePrompt_isEmptyObjectUntilFinished_thenTheFullEntry() throws Exception {
        try (WsRecorder ws = server.ws("c5")) {
            ws.next();
            String id = server.queue(Prompts.gate(1), "c5");
            assertEquals(id, server.gate.awaitEntered());
            Response running = server.get("/history/" + id);
            assertEquals(200, running.status());
            assertEquals("{}", running.body());
            server.gate.open();
            ws.untilDone(id);
        }
        JsonNode entry = server.get("/history/" + id(server)).json();
        assertEquals(1, entry.size());
        JsonNode only = entry.elements().next();
        assertEquals(List.of("prompt", "outputs", "status", "meta"), fieldNames(only));
        assertEquals("success", only.path("status").path("status_str").asText());
        assertTrue(only.path("status").path("completed").asBoolean());
        List<String> events = new ArrayList<>();
        only.path("status").path("messages").forEach(m -> events.add(m.path(0).asText()));
        assertEquals(List.of("execution_start", "execution_cached", "execution_success"), events);
        assertEquals("gate 1", only.path("outputs").path("1").path("text").path(0).asText());
        assertEquals("1", only.path("meta").path("1").path("real_node_id").asText());
        assertEquals(5, only.path("prompt").size());
    }

    /** The id of the only history entry. */
    private static String id(TestServer server) {
        return server.get("/history").json().fieldNames().next();
    }

    @Test
    void item6_objectInfoOfUnknownClass_is200EmptyObject() {
        Response unknown = server.get("/object_info/NoSuchNode");
        assertEquals(200, unknown.status());
        assertEquals("{}", unknown.body());
        JsonNode known = server.get("/object_info/TestSteps").json();
        assertEquals(List.of("TestSteps"), fieldNames(known));
        assertTrue(server.get("/object_info").json().has("TestGate"));
        assertEquals(List.of("Test spaced+name [100%]"),
                fieldNames(server.get("/api/object_info/Test%20spaced%2Bname%20%5B100%25%5D").json()),
                "the class segment is URL-decoded once");
    }

    @Test
    void item7_wsStatusWithSidOnConnect_clientIdHonoured_reconnectReplacesOldSocket() throws Exception {
        try (WsRecorder anonymous = server.ws(null)) {
            JsonNode status = anonymous.next();
            assertEquals("status", status.path("type").asText());
            assertTrue(status.path("data").path("sid").asText().matches("[0-9a-f]{32}"));
            assertEquals(0, status.path("data").path("status").path("exec_info").path("queue_remaining").asInt());
        }
        WsRecorder first = server.ws("same");
        assertEquals("same", first.next().path("data").path("sid").asText());
        try (WsRecorder second = server.ws("same")) {
            second.next();
            first.close(); // the old socket closes after the reconnect: routing must survive
            String id = server.queue(Prompts.steps(1, "after reconnect"), "same");
            List<JsonNode> events = second.untilDone(id);
            assertTrue(events.stream().anyMatch(e -> e.path("type").asText().equals("executed")));
        }
    }

    @Test
    void item7_reconnectDuringARun_getsTheRunningNodeHint() throws Exception {
        try (WsRecorder first = server.ws("hint")) {
            first.next();
            String id = server.queue(Prompts.gate(3), "hint");
            server.gate.awaitEntered();
            try (WsRecorder again = server.ws("hint")) {
                assertEquals("status", again.next().path("type").asText());
                JsonNode hint = again.next();
                assertEquals("executing", hint.path("type").asText());
                assertEquals("1", hint.path("data").path("node").asText());
                assertFalse(hint.path("data").has("prompt_id"), "the reconnect hint carries no prompt id");
                server.gate.open();
                again.untilDone(id);
            }
        }
    }

    @Test
    void item10_view_parametersInAnyOrder_emptySubfolder_annotationOverridesType() throws Exception {
        Files.writeString(dataDir.resolve("temp/preview.txt"), "p");
        assertEquals("p", server.get("/view?filename=preview.txt&subfolder=&type=temp").body());
        assertEquals("p", server.get("/view?type=temp&filename=preview.txt").body());
        assertEquals("p", server.get("/view?subfolder=&filename=preview.txt%20%5Btemp%5D&type=output").body());
        Response response = server.get("/view?filename=preview.txt&type=temp");
        assertEquals("filename=\"preview.txt\"", response.headers().firstValue("Content-Disposition").orElse(""));
        Files.writeString(dataDir.resolve("output/page.html"), "<script>alert(1)</script>");
        assertEquals("application/octet-stream",
                server.get("/view?filename=page.html").headers().firstValue("Content-Type").orElse(""),
                "never rendered by the browser");
    }

    @Test
    void item10_view_previewAndChannelReencode() throws Exception {
        java.awt.image.BufferedImage rgba = new java.awt.image.BufferedImage(4, 2, java.awt.image.BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x80FF0000);
        javax.imageio.ImageIO.write(rgba, "png", dataDir.resolve("output/rgba.png").toFile());
        Response jpeg = server.get("/view?filename=rgba.png&preview=jpeg;50&channel=rgb");
        assertEquals("image/jpeg", jpeg.headers().firstValue("Content-Type").orElse(""));
        byte[] alphaBytes = server.getBytes("/view?filename=rgba.png&channel=a");
        java.awt.image.BufferedImage alpha = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(alphaBytes));
        assertEquals(0x80000000, alpha.getRGB(0, 0), "black with the source's alpha");
        assertEquals(0x00000000, alpha.getRGB(1, 0));
        byte[] rgbBytes = server.getBytes("/view?filename=rgba.png&channel=rgb");
        assertFalse(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(rgbBytes)).getColorModel().hasAlpha());
    }

    @Test
    void freeMemory_clearsTheOutputCache() throws Exception {
        try (WsRecorder ws = server.ws("free")) {
            ws.next();
            ws.untilDone(server.queue(Prompts.steps(0, "same"), "free"));
            assertTrue(Sequences.summarize(ws.untilDone(server.queue(Prompts.steps(0, "same"), "free")))
                    .contains("execution_cached [1]"));
            server.post("/free", "{\"unload_models\": true, \"free_memory\": true}");
            assertTrue(Sequences.summarize(ws.untilDone(server.queue(Prompts.steps(0, "same"), "free")))
                    .contains("execution_cached []"));
        }
    }

    @Test
    void item11_featureFlags_answeredOnlyToNegotiatingSocket_andEqualToFeaturesRoute() throws Exception {
        JsonNode features = server.get("/features").json();
        assertEquals(104857600L, features.path("max_upload_size").asLong());
        try (WsRecorder negotiating = server.ws("n1"); WsRecorder legacy = server.ws("n2")) {
            negotiating.next();
            legacy.next();
            negotiating.sendText("{\"type\":\"feature_flags\",\"data\":{\"supports_preview_metadata\":true}}");
            JsonNode reply = negotiating.next();
            assertEquals("feature_flags", reply.path("type").asText());
            assertEquals(features, reply.path("data"));
            negotiating.sendText("{\"type\":\"feature_flags\",\"data\":{}}");
            String id = server.queue(Prompts.steps(0, "x"), "n2");
            List<JsonNode> legacyEvents = legacy.untilDone(id);
            assertFalse(legacyEvents.stream().anyMatch(e -> e.path("type").asText().equals("feature_flags")));
            String second = server.queue(Prompts.steps(0, "y"), "n1");
            List<JsonNode> events = negotiating.untilDone(second);
            assertFalse(events.stream().anyMatch(e -> e.path("type").asText().equals("feature_flags")),
                    "only the first frame negotiates");
        }
    }

    @Test
    void item11_binaryPreviews_type1ByDefault_type4OnlyAfterNegotiation() throws Exception {
        try (WsRecorder legacy = server.ws("legacy"); WsRecorder modern = server.ws("modern")) {
            legacy.next();
            modern.next();
            modern.sendText("{\"type\":\"feature_flags\",\"data\":{\"supports_preview_metadata\":true}}");
            assertEquals("feature_flags", modern.next().path("type").asText());

            List<String> legacySteps = stepFrames(legacy.untilDone(server.queue(Prompts.preview(16), "legacy", previewing())));
            assertEquals(List.of("progress_state 1=running", "progress 1/2", "binary 1",
                    "progress_state 1=running", "progress 2/2", "binary 1"), legacySteps);

            List<JsonNode> modernMessages = modern.untilDone(server.queue(Prompts.preview(1024), "modern", previewing()));
            assertEquals(List.of("progress_state 1=running", "binary 4", "progress 1/2",
                    "progress_state 1=running", "binary 4", "progress 2/2"), stepFrames(modernMessages));
            byte[] frame = modernMessages.stream().filter(m -> m.path("type").asText().equals("binary"))
                    .findFirst().orElseThrow().path("data").path("bytes").binaryValue();
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(frame);
            assertEquals(4, buffer.getInt());
            byte[] json = new byte[buffer.getInt()];
            buffer.get(json);
            JsonNode metadata = Json.parseTrusted(new String(json, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("1", metadata.path("node_id").asText());
            assertEquals("image/jpeg", metadata.path("image_type").asText());
            byte[] jpeg = new byte[buffer.remaining()];
            buffer.get(jpeg);
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
            assertEquals(512, image.getWidth(), "previews are downscaled to 512 px on the longer side");
            assertEquals(8, image.getHeight());
        }
    }

    /** {@code extra_data} asking for previews, as the frontend sends it (the server default is none). */
    private static ObjectNode previewing() {
        ObjectNode extra = Json.object();
        extra.put("preview_method", "latent2rgb");
        return extra;
    }

    /** The frames between {@code executing} of the node and its {@code executed}. */
    private static List<String> stepFrames(List<JsonNode> messages) {
        List<String> lines = Sequences.summarize(messages);
        return lines.subList(lines.indexOf("executing 1") + 1, lines.indexOf("executed 1"));
    }

    @Test
    void item13_emptyRoutes_answerJsonEmptyObject() {
        for (String path : List.of("/queue", "/history", "/interrupt", "/free")) {
            Response response = server.post(path, "");
            assertEquals("{}", response.body(), path);
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), path);
        }
    }

    @Test
    void crossOriginRequestToLoopback_is403_sameOriginPasses() {
        Response foreign = server.send(HttpRequest.newBuilder(server.uri("/queue"))
                .header("Origin", "http://evil.example").GET().build());
        assertEquals(403, foreign.status());
        Response same = server.send(HttpRequest.newBuilder(server.uri("/queue"))
                .header("Origin", "http://127.0.0.1:" + server.server.port()).GET().build());
        assertEquals(200, same.status());
        java.util.concurrent.CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.CompletionException.class,
                () -> server.http.newWebSocketBuilder().header("Origin", "http://evil.example")
                        .buildAsync(java.net.URI.create("ws://127.0.0.1:" + server.server.port() + "/ws"),
                                new java.net.http.WebSocket.Listener() { })
                        .join());
        assertEquals(403, ((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }

    @Test
    void modelsRoutes_listFoldersAndFiles_unknownFolder404() throws Exception {
        Path loras = Files.createDirectories(dataDir.resolve("models/loras/style"));
        Files.write(loras.resolve("ink.safetensors"), new byte[] {0});
        Files.createDirectories(dataDir.resolve("models/embeddings"));
        Files.write(dataDir.resolve("models/embeddings/EasyNegative.pt"), new byte[] {0});
        assertTrue(fieldNamesOfArray(server.get("/models").json()).contains("loras"));
        assertEquals(List.of("style/ink.safetensors"), fieldNamesOfArray(server.get("/models/loras").json()));
        assertEquals(List.of("EasyNegative"), fieldNamesOfArray(server.get("/embeddings").json()));
        assertEquals(404, server.get("/models/nonsense").status());
    }

    @Test
    void viewMetadata_returnsSafetensorsMetadata_else404() throws Exception {
        Path loras = Files.createDirectories(dataDir.resolve("models/loras"));
        new SafetensorsWriter().metadata("ss_network_dim", "16").metadata("ss_network_alpha", "8")
                .addFloats("lora_unet_x.alpha", DType.F32, new long[] {}, new float[] {8f})
                .write(loras.resolve("style.safetensors"));
        new SafetensorsWriter().addFloats("w", DType.F32, new long[] {1}, new float[] {1f})
                .write(loras.resolve("bare.safetensors"));
        Files.write(loras.resolve("old.pt"), new byte[] {0});
        Response response = server.get("/api/view_metadata/loras?filename=style.safetensors");
        assertEquals(200, response.status());
        assertEquals("16", response.json().path("ss_network_dim").asText());
        assertEquals("8", response.json().path("ss_network_alpha").asText());
        for (String query : List.of("loras?filename=bare.safetensors", "loras?filename=old.pt",
                "loras?filename=missing.safetensors", "loras?filename=../../bakehouse.db.safetensors",
                "nonsense?filename=style.safetensors", "loras")) {
            assertEquals(404, server.get("/view_metadata/" + query).status(), query);
        }
    }

    @Test
    void systemStats_hasEveryKeyTheFrontendRequires() {
        JsonNode stats = server.get("/system_stats").json();
        for (String key : List.of("os", "ram_total", "ram_free", "comfyui_version", "python_version",
                "pytorch_version", "embedded_python", "argv")) {
            assertTrue(stats.path("system").has(key), key);
        }
        assertTrue(stats.path("system").path("argv").isArray());
        JsonNode device = stats.path("devices").path(0);
        assertEquals("cpu", device.path("type").asText());
        assertEquals(0, device.path("index").asInt());
        assertNotEquals(0, stats.path("system").path("ram_total").asLong());
    }

    private static List<String> fieldNamesOfArray(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
