package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.testing.Prompts;
import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.WsRecorder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /jobs} and {@code /jobs/{id}} as the newer official frontend calls them for its queue
 * and history panels: {@code /api/jobs?status=in_progress,pending&limit=200&offset=0} and
 * {@code ?status=completed,failed,cancelled&limit=64&offset=0}, answered in the shape it validates
 * ({@code jobs[].{id, status, create_time, ...}}, {@code pagination.{offset, limit, total, has_more}}).
 */
class JobsHttpTest {
    @TempDir
    Path root;

    @Test
    void queuedJobs_runningThenPending_withDetail() throws Exception {
        try (TestServer server = TestServer.start(root)) {
            String running = server.queue(Prompts.gate(1), "c1");
            assertEquals(running, server.gate.awaitEntered());
            String pending = server.queue(Prompts.steps(1, "later"), "c1");

            JsonNode queue = server.get("/api/jobs?status=in_progress,pending&limit=200&offset=0").json();
            assertEquals(List.of(running + " in_progress", pending + " pending"), idsAndStatuses(queue));
            assertEquals(2, queue.path("pagination").path("total").asInt());
            assertFalse(queue.path("pagination").path("has_more").asBoolean());
            assertTrue(queue.path("jobs").path(0).path("create_time").isNumber());
            assertEquals(List.of(), idsAndStatuses(server.get("/jobs?status=completed,failed,cancelled").json()));

            JsonNode detail = server.get("/api/jobs/" + pending).json();
            assertEquals("pending", detail.path("status").asText());
            assertEquals("TestSteps", detail.path("workflow").path("prompt").path("1").path("class_type").asText());
            assertEquals("c1", detail.path("workflow").path("extra_data").path("client_id").asText());
            server.gate.open();
        }
    }

    @Test
    void finishedJobs_newestFirst_withStatusPreviewErrorAndPagination() throws Exception {
        try (TestServer server = TestServer.start(root); WsRecorder ws = server.ws("c2")) {
            ws.next();
            String preview = saveImage(server, "c2");
            ws.untilDone(preview);
            String failed = server.queue(Prompts.fail("boom"), "c2");
            ws.untilDone(failed);

            JsonNode history = server.get("/api/jobs?status=completed,failed,cancelled&limit=64&offset=0").json();
            assertEquals(List.of(failed + " failed", preview + " completed"), idsAndStatuses(history));
            JsonNode error = history.path("jobs").path(0).path("execution_error");
            assertEquals("1", error.path("node_id").asText());
            assertTrue(error.path("exception_message").asText().contains("boom"), error.toString());
            JsonNode done = history.path("jobs").path(1);
            assertEquals("1", done.path("preview_output").path("nodeId").asText());
            assertEquals("images", done.path("preview_output").path("mediaType").asText());
            assertEquals("output", done.path("preview_output").path("type").asText());
            assertEquals("wf-1", done.path("workflow_id").asText());
            assertEquals(1, done.path("outputs_count").asInt());
            assertTrue(done.path("execution_end_time").asLong() >= done.path("execution_start_time").asLong());
            assertEquals(List.of(preview + " completed"), idsAndStatuses(server.get("/jobs?status=completed").json()));

            JsonNode page = server.get("/jobs?limit=1&offset=1").json();
            assertEquals(List.of(preview + " completed"), idsAndStatuses(page));
            assertEquals(2, page.path("pagination").path("total").asInt());
            assertFalse(page.path("pagination").path("has_more").asBoolean());
            assertTrue(server.get("/jobs?limit=1").json().path("pagination").path("has_more").asBoolean());

            JsonNode detail = server.get("/api/jobs/" + preview).json();
            assertEquals(done.path("preview_output").path("filename").asText(),
                    detail.path("outputs").path("1").path("images").path(0).path("filename").asText());
            assertEquals(404, server.get("/api/jobs/no-such-job").status());
        }
    }

    /** LoadImage → SaveImage of a 4×4 PNG placed in the input folder, as the editor would queue it. */
    private String saveImage(TestServer server, String clientId) throws Exception {
        Files.createDirectories(root.resolve("input"));
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", root.resolve("input/dot.png").toFile());
        ObjectNode prompt = Prompts.prompt();
        Prompts.node(prompt, "10", "LoadImage").put("image", "dot.png");
        ObjectNode save = Prompts.node(prompt, "1", "SaveImage");
        save.set("images", Prompts.link("10", 0));
        save.put("filename_prefix", "jobs");
        ObjectNode body = Json.object();
        body.set("prompt", prompt);
        body.put("client_id", clientId);
        body.putObject("extra_data").putObject("extra_pnginfo").putObject("workflow").put("id", "wf-1");
        TestServer.Response queued = server.postJson("/prompt", body);
        assertEquals(200, queued.status(), queued.body());
        return queued.json().path("prompt_id").asText();
    }

    private static List<String> idsAndStatuses(JsonNode list) {
        List<String> jobs = new ArrayList<>();
        list.path("jobs").forEach(job -> jobs.add(job.path("id").asText() + " " + job.path("status").asText()));
        return jobs;
    }
}
