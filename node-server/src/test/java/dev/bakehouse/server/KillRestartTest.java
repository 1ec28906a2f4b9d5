package dev.bakehouse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.testing.ChildProcessOutput;
import dev.bakehouse.server.testing.ChildServer;
import dev.bakehouse.server.testing.Prompts;
import dev.bakehouse.server.testing.ServerTestNodes;
import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.WsRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queue and history survive an abrupt stop (in-process halt, and SIGKILL of a server process):
 * finished prompts stay in history, pending ones run after the restart, and the one that was
 * running is recorded as interrupted (not re-run).
 */
class KillRestartTest {
    /** A JVM start plus a server start; generous for a loaded 2-core machine, short of a hang. */
    private static final Duration CHILD_STARTUP = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @TempDir
    Path scratch;

    @Test
    void killWhileRunning_restartKeepsHistory_runsPending_recordsRunningAsInterrupted() throws Exception {
        ServerTestNodes.GateControl firstGate = new ServerTestNodes.GateControl();
        TestServer first = TestServer.start(dataDir, firstGate);
        String done;
        String running;
        List<String> pending = new ArrayList<>();
        try (WsRecorder ws = first.ws("k")) {
            ws.next();
            done = first.queue(Prompts.steps(1, "before the kill"), "k");
            ws.untilDone(done);
            running = first.queue(Prompts.gate(1), "k");
            assertEquals(running, firstGate.awaitEntered());
            pending.add(first.queue(Prompts.steps(1, "pending a"), "k"));
            pending.add(first.queue(Prompts.steps(2, "pending b"), "k"));
            pending.add(first.queue(Prompts.gate(2), "k"));
            assertEquals(3, first.get("/queue").json().path("queue_pending").size());
        }
        first.server.halt();

        ServerTestNodes.GateControl secondGate = new ServerTestNodes.GateControl();
        try (TestServer second = TestServer.start(dataDir, secondGate); WsRecorder ws = second.ws("k")) {
            JsonNode history = second.get("/history").json();
            assertEquals("success", history.path(done).path("status").path("status_str").asText());
            JsonNode interrupted = history.path(running).path("status");
            assertEquals("error", interrupted.path("status_str").asText());
            assertFalse(interrupted.path("completed").asBoolean());
            JsonNode lastMessage = interrupted.path("messages").path(interrupted.path("messages").size() - 1);
            assertEquals("execution_interrupted", lastMessage.path(0).asText());
            assertEquals("1", lastMessage.path(1).path("node_id").asText(), "names the node that was running");
            assertEquals("TestGate", lastMessage.path(1).path("node_type").asText());

            ws.next();
            // The restored prompts start at once; the last one is a gate, so when it is entered
            // the two before it have finished, and its own end is seen on this socket.
            assertEquals(pending.get(2), secondGate.awaitEntered());
            secondGate.open();
            ws.untilDone(pending.get(2));
            JsonNode after = second.get("/history").json();
            List<String> order = new ArrayList<>();
            after.fieldNames().forEachRemaining(order::add);
            List<String> expected = new ArrayList<>(List.of(done, running));
            expected.addAll(pending);
            assertEquals(expected, order, "pending prompts ran after the restart, in queue order");
            for (String id : pending) {
                assertTrue(after.path(id).path("status").path("completed").asBoolean(), id);
            }
            assertEquals(0, second.get("/prompt").json().path("exec_info").path("queue_remaining").asInt());
            String next = second.queue(Prompts.steps(0, "new"), "k");
            ws.untilDone(next);
            long nextNumber = second.get("/history/" + next).json().path(next).path("prompt").path(0).asLong();
            assertEquals(5, nextNumber, "the queue counter continues across the restart");
        } finally {
            firstGate.open(); // lets the abandoned worker thread of the first server end
        }
    }

    @Test
    void gracefulStop_interruptsTheRunningPrompt_recordsIt_andKeepsPendingOnes() throws Exception {
        ServerTestNodes.GateControl gate = new ServerTestNodes.GateControl();
        TestServer first = TestServer.start(dataDir, gate);
        String running = first.queue(Prompts.gate(1), "g");
        gate.awaitEntered();
        String pending = first.queue(Prompts.steps(1, "later"), "g");
        first.close();

        ServerTestNodes.GateControl secondGate = new ServerTestNodes.GateControl();
        try (TestServer second = TestServer.start(dataDir, secondGate); WsRecorder ws = second.ws("g")) {
            ws.next();
            JsonNode status = second.get("/history/" + running).json().path(running).path("status");
            List<String> events = new ArrayList<>();
            status.path("messages").forEach(m -> events.add(m.path(0).asText()));
            assertEquals(List.of("execution_start", "execution_cached", "execution_interrupted"), events,
                    "recorded by the worker itself, not by recovery");
            JsonNode queue = second.get("/queue").json();
            boolean stillQueued = queue.path("queue_pending").size() + queue.path("queue_running").size() == 1;
            assertTrue(stillQueued || second.get("/history/" + pending).json().has(pending),
                    "the pending prompt survived the stop");
        }
    }

    @Test
    void sigkilledProcess_restartRecordsRunningAsInterrupted_andRunsPending() throws Exception {
        Path stderr = ChildProcessOutput.stderrFile(scratch);
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                ChildServer.class.getName(), dataDir.toString())
                .redirectError(stderr.toFile())
                .start();
        String running;
        List<String> pending = new ArrayList<>();
        try {
            ChildProcessOutput out = ChildProcessOutput.of(child, stderr);
            int port = Integer.parseInt(out.awaitLine("PORT ", CHILD_STARTUP).substring(5));
            HttpClient http = HttpClient.newHttpClient();
            running = post(http, port, Prompts.gate(1));
            assertEquals("ENTERED " + running, out.awaitLine("ENTERED ", CHILD_STARTUP));
            pending.add(post(http, port, Prompts.steps(1, "after kill a")));
            pending.add(post(http, port, Prompts.steps(1, "after kill b")));
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            child.waitFor();
        }

        ServerTestNodes.GateControl gate = new ServerTestNodes.GateControl();
        try (TestServer second = TestServer.start(dataDir, gate); WsRecorder ws = second.ws("kill")) {
            ws.next();
            JsonNode status = second.get("/history/" + running).json().path(running).path("status");
            assertEquals("error", status.path("status_str").asText());
            assertEquals("TestGate", status.path("messages").path(status.path("messages").size() - 1)
                    .path(1).path("node_type").asText());
            String last = second.queue(Prompts.gate(2), "kill");
            assertEquals(last, gate.awaitEntered(), "the restored prompts ran first, then this one");
            gate.open();
            ws.untilDone(last);
            for (String id : pending) {
                assertTrue(second.get("/history/" + id).json().path(id).path("status").path("completed").asBoolean(), id);
            }
        }
    }

    private static String post(HttpClient http, int port, com.fasterxml.jackson.databind.node.ObjectNode prompt)
            throws Exception {
        String body = Json.write(Json.object().set("prompt", prompt));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/prompt"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.parseTrusted(response.body()).path("prompt_id").asText();
    }
}
