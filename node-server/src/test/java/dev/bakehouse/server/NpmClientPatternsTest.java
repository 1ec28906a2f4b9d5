package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.testing.Prompts;
import dev.bakehouse.server.testing.Sequences;
import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.TestServer.Response;
import dev.bakehouse.server.testing.WsRecorder;
import dev.bakehouse.server.worker.PreviewMethod;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request patterns of ComfyUI client packages from the npm registry that were run against the
 * server (@stable-canvas/comfyui-client 1.5.9, @saintno/comfyui-sdk 0.3.1, comfy-ui-client 0.1.2),
 * where the server had behaved differently from the reference.
 */
class NpmClientPatternsTest {
    @TempDir
    Path dataDir;

    /**
     * {@code @stable-canvas/comfyui-client}'s {@code enqueue} adds every binary preview frame that
     * arrives while its prompt executes to the prompt's result images. Against the reference
     * (preview method "none" unless started otherwise) its text-to-image result is the one saved
     * image; the server used to preview every step unasked, so the result held a low-resolution
     * JPEG per step besides it.
     */
    @Test
    void stableCanvasEnqueue_defaultServerSendsNoPreviewFrames() throws Exception {
        try (TestServer server = TestServer.start(dataDir); WsRecorder ws = server.ws("sc-11")) {
            ws.next();
            // The client's body: client_id, prompt and extra_data.extra_pnginfo, posted to
            // /prompt?clientId=<id>.
            ObjectNode body = Json.object();
            body.put("client_id", "sc-11");
            body.set("prompt", Prompts.preview(16));
            body.putObject("extra_data").putObject("extra_pnginfo");
            Response queued = server.postJson("/prompt?clientId=sc-11", body);
            assertEquals(200, queued.status(), queued.body());

            List<String> summary = Sequences.summarize(ws.untilDone(queued.json().path("prompt_id").asText()));
            assertTrue(summary.containsAll(List.of("progress 1/2", "progress 2/2", "execution_success")),
                    summary.toString());
            assertTrue(summary.stream().noneMatch(line -> line.startsWith("binary")),
                    "no preview frames unless asked: " + summary);
        }
    }

    /**
     * The frontend sends its preview setting with every prompt ({@code "default"} meaning the
     * server's); a server started with previews still honours a prompt's {@code "none"}.
     */
    @Test
    void promptPreviewMethod_overridesTheServerOption() throws Exception {
        try (TestServer server = TestServer.start(dataDir, c -> c.withPreviewMethod(PreviewMethod.AUTO));
                WsRecorder ws = server.ws("fe")) {
            ws.next();
            assertEquals(2, binaryFrames(ws, server.queue(Prompts.preview(16), "fe", previewMethod("default"))));
            assertEquals(0, binaryFrames(ws, server.queue(Prompts.preview(17), "fe", previewMethod("none"))));
            assertEquals(2, binaryFrames(ws, server.queue(Prompts.preview(18), "fe", null)));
        }
        try (TestServer server = TestServer.start(dataDir); WsRecorder ws = server.ws("fe")) {
            ws.next();
            assertEquals(2, binaryFrames(ws, server.queue(Prompts.preview(16), "fe", previewMethod("taesd"))));
            assertEquals(0, binaryFrames(ws, server.queue(Prompts.preview(17), "fe", previewMethod("default"))));
        }
    }

    /**
     * {@code @saintno/comfyui-sdk} with {@code listenTerminal} subscribes to the console by its
     * client id while its WebSocket is still opening, and shows each {@code logs} line as a
     * terminal event. The server used to write nothing to the console for a prompt, so a failing
     * run showed nothing there (ComfyUI prints the exception).
     */
    @Test
    void saintnoListenTerminal_failedPromptIsOnTheConsoleStream() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            Response subscribed = server.send(HttpRequest.newBuilder(server.uri("/internal/logs/subscribe"))
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"clientId\":\"term-1\",\"enabled\":true}"))
                    .header("Content-Type", "application/json").build());
            assertEquals(200, subscribed.status(), subscribed.body());
            try (WsRecorder ws = server.ws("term-1")) {
                ws.next();
                String promptId = server.queue(Prompts.fail("kaputt"), "term-1");
                while (true) {
                    JsonNode logs = ws.awaitType("logs");
                    String text = logs.path("data").path("entries").toString();
                    if (text.contains(promptId)) {
                        assertTrue(text.contains("failed") && text.contains("#1 TestFail") && text.contains("kaputt"), text);
                        break;
                    }
                }
            }
        }
    }

    @Test
    void previewMethodNames_areComfyUIs() {
        assertEquals(PreviewMethod.LATENT2RGB, PreviewMethod.parse("latent2rgb"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> PreviewMethod.parse("AUTO"));
        assertEquals("unknown preview method 'AUTO', expected one of none, auto, latent2rgb, taesd", error.getMessage());
    }

    private static ObjectNode previewMethod(String method) {
        ObjectNode extra = Json.object();
        extra.put("preview_method", method);
        return extra;
    }

    private static long binaryFrames(WsRecorder ws, String promptId) throws InterruptedException {
        List<JsonNode> messages = ws.untilDone(promptId);
        return messages.stream().filter(m -> m.path("type").asText().equals("binary")).count();
    }
}
