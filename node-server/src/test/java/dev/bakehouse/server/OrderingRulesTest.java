package dev.bakehouse.server;

import static dev.bakehouse.server.testing.Sequences.summarize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.testing.ManualDelayedTasks;
import dev.bakehouse.server.testing.PausingHistory;
import dev.bakehouse.server.testing.Prompts;
import dev.bakehouse.server.testing.TestServer;
import dev.bakehouse.server.testing.WsRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ordering and timing rules of spec §3.3, §5.4, §5.7 and §5.8, each observed by real clients.
 *
 * <p>§5.8 rule 4 ({@code executing null} last, for every outcome) and rule 5 (frames in the order
 * produced) are asserted by each exact {@code rule_5_7_*} sequence (success, cached, error,
 * interrupt). "Nothing arrived yet" is checked with a barrier instead of waiting (see
 * {@link #untilBarrier}).
 */
class OrderingRulesTest {
    @TempDir
    Path dataDir;

    /**
     * Everything the server had sent to this socket before now. The socket's first text frame is
     * the feature negotiation, whose reply the server queues behind every frame already queued;
     * so this works once per socket.
     */
    private static List<String> untilBarrier(WsRecorder ws) throws InterruptedException {
        ws.sendText("{\"type\": \"feature_flags\", \"data\": {}}");
        List<String> seen = new ArrayList<>();
        for (JsonNode message = ws.next(); !message.path("type").asText().equals("feature_flags"); message = ws.next()) {
            seen.add(summarize(message));
        }
        return seen;
    }

    @Test
    void rule_5_7_freshRun_sendsTheCanonicalSequence() throws Exception {
        try (TestServer server = TestServer.start(dataDir); WsRecorder ws = server.ws("fresh")) {
            ws.next();
            String id = server.queue(Prompts.steps(2, "hi"), "fresh");
            assertEquals(List.of(
                    "status 1", "status 1", "execution_start", "execution_cached []",
                    "progress_state 1=running", "executing 1",
                    "progress_state 1=running", "progress 1/2",
                    "progress_state 1=running", "progress 2/2",
                    "executed 1", "progress_state 1=finished",
                    "execution_success", "status 0", "executing null"),
                    summarize(ws.untilDone(id)));
        }
    }

    @Test
    void rule_5_7_sameGraphAgain_isCached_andCachedOutputReSent() throws Exception {
        try (TestServer server = TestServer.start(dataDir); WsRecorder ws = server.ws("again")) {
            ws.next();
            ObjectNode prompt = Prompts.prompt();
            Prompts.node(prompt, "7", "PrimitiveInt").put("value", 2);
            ObjectNode steps = Prompts.node(prompt, "3", "TestSteps");
            steps.set("steps", Prompts.link("7", 0));
            steps.put("label", "cached?");
            ws.untilDone(server.queue(prompt, "again"));
            List<JsonNode> second = ws.untilDone(server.queue(prompt, "again"));
            assertEquals(List.of(
                    "status 1", "status 1", "execution_start", "execution_cached [7, 3]",
                    "executed 3", "progress_state 3=finished",
                    "execution_success", "status 0", "executing null"),
                    summarize(second));
            JsonNode executed = second.get(4).path("data");
            assertEquals("cached?", executed.path("output").path("text").path(0).asText());
        }
    }

    @Test
    void rule_5_7_runtimeError_endsWithErrorStatusAndExecutingNull() throws Exception {
        try (TestServer server = TestServer.start(dataDir); WsRecorder ws = server.ws("err")) {
            ws.next();
            String id = server.queue(Prompts.fail("kaputt"), "err");
            List<JsonNode> messages = ws.untilDone(id);
            assertEquals(List.of(
                    "status 1", "status 1", "execution_start", "execution_cached []",
                    "progress_state 1=running", "executing 1",
                    "execution_error", "status 0", "executing null"),
                    summarize(messages));
            JsonNode error = messages.get(6).path("data");
            assertEquals(List.of("prompt_id", "node_id", "node_type", "executed", "exception_message",
                    "exception_type", "traceback", "current_inputs", "current_outputs", "timestamp"),
                    fieldNames(error));
            assertEquals("TestFail", error.path("node_type").asText());
            assertTrue(error.path("exception_message").asText().contains("boom: kaputt"));
            JsonNode entry = server.get("/history/" + id).json().path(id);
            assertEquals("error", entry.path("status").path("status_str").asText());
            assertFalse(entry.path("status").path("completed").asBoolean());
        }
    }

    @Test
    void rule_6_7_interrupt_endsWithInterruptedStatusAndExecutingNull() throws Exception {
        try (TestServer server = TestServer.start(dataDir); WsRecorder ws = server.ws("int")) {
            ws.next();
            String id = server.queue(Prompts.gate(1), "int");
            server.gate.awaitEntered();
            server.post("/interrupt", "{\"prompt_id\": \"some-other-prompt\"}");
            server.post("/interrupt", "");
            List<JsonNode> messages = ws.untilDone(id);
            assertEquals(List.of(
                    "status 1", "status 1", "execution_start", "execution_cached []",
                    "progress_state 1=running", "executing 1",
                    "execution_interrupted", "status 0", "executing null"),
                    summarize(messages));
            assertEquals(List.of("prompt_id", "node_id", "node_type", "executed", "timestamp"),
                    fieldNames(messages.get(6).path("data")));
            JsonNode status = server.get("/history/" + id).json().path(id).path("status");
            assertEquals("error", status.path("status_str").asText());
            JsonNode messagesInHistory = status.path("messages");
            assertEquals("execution_interrupted", messagesInHistory.path(messagesInHistory.size() - 1).path(0).asText());
        }
    }

    @Test
    void rule_3_6_interruptNamingAnotherPrompt_changesNothing() throws Exception {
        try (TestServer server = TestServer.start(dataDir); WsRecorder ws = server.ws("other")) {
            ws.next();
            String id = server.queue(Prompts.gate(2), "other");
            server.gate.awaitEntered();
            server.post("/interrupt", "{\"prompt_id\": \"not-running\"}");
            server.gate.open();
            List<String> lines = summarize(ws.untilDone(id));
            assertTrue(lines.contains("execution_success"), lines.toString());
        }
    }

    @Test
    void rule_3_3_and_5_8_1_noPromptEventBeforeTheGraceAfterTheResponse() throws Exception {
        ManualDelayedTasks scheduler = new ManualDelayedTasks();
        try (TestServer server = TestServer.start(dataDir, scheduler); WsRecorder ws = server.ws("grace")) {
            ws.next();
            String id = server.queue(Prompts.steps(1, "x"), "grace");
            scheduler.awaitPending(1);
            assertEquals(List.of("status 1"), untilBarrier(ws), "only the queue-level status so far");
            assertEquals(1, server.get("/queue").json().path("queue_pending").size());
            scheduler.advance(Duration.ofMillis(99));
            assertEquals(1, scheduler.pending(), "99 ms after the response the prompt is still held");
            assertEquals(0, server.get("/queue").json().path("queue_running").size());
            scheduler.advance(Duration.ofMillis(1));
            List<String> lines = summarize(ws.untilDone(id));
            assertEquals("execution_start", lines.get(1), lines.toString());
        }
    }

    @Test
    void rule_5_8_2_historyIsStoredBeforeTheTerminalEvent() throws Exception {
        AtomicReference<PausingHistory> history = new AtomicReference<>();
        try (TestServer server = TestServer.withHistory(dataDir, store -> {
                    history.set(new PausingHistory(store));
                    return history.get();
                });
                WsRecorder ws = server.ws("hist")) {
            ws.next();
            String id = server.queue(Prompts.steps(0, "x"), "hist");
            history.get().awaitPutEntered();
            List<String> beforeStoring = untilBarrier(ws);
            assertFalse(beforeStoring.contains("execution_success"), beforeStoring.toString());
            history.get().resume();
            List<JsonNode> rest = ws.untilDone(id);
            assertEquals(List.of("execution_success", "status 0", "executing null"), summarize(rest).subList(rest.size() - 3, rest.size()));
        }
    }

    @Test
    void rule_5_8_3_statusAfterFinish_seesHistoryAndNoRunningItem() throws Exception {
        try (TestServer server = TestServer.start(dataDir); WsRecorder ws = server.ws("after")) {
            ws.next();
            String id = server.queue(Prompts.steps(0, "x"), "after");
            ws.awaitType("execution_success");
            assertTrue(server.get("/history/" + id).json().has(id), "history stored before execution_success");
            JsonNode status = ws.awaitType("status");
            assertEquals(0, status.path("data").path("status").path("exec_info").path("queue_remaining").asInt());
            assertEquals(0, server.get("/queue").json().path("queue_running").size());
            assertEquals("executing null", summarize(ws.next()));
        }
    }

    @Test
    void rule_5_8_6_promptIsAlwaysInPendingRunningOrHistory() throws Exception {
        AtomicReference<PausingHistory> history = new AtomicReference<>();
        try (TestServer server = TestServer.withHistory(dataDir, store -> {
                    history.set(new PausingHistory(store));
                    return history.get();
                });
                WsRecorder ws = server.ws("inv")) {
            ws.next();
            String id = server.queue(Prompts.steps(0, "x"), "inv");
            history.get().awaitPutEntered();
            assertEquals(id, server.get("/queue").json().path("queue_running").path(0).path(1).asText(),
                    "still running while its history entry is being stored");
            assertEquals("{}", server.get("/history/" + id).body());
            history.get().resume();
            ws.untilDone(id);
            assertEquals(0, server.get("/queue").json().path("queue_running").size());
            assertTrue(server.get("/history/" + id).json().has(id));
        }
    }

    @Test
    void rule_3_3_queueOrder_isNumberThenPromptId_frontAndExplicitNumbersFirst() throws Exception {
        try (TestServer server = TestServer.start(dataDir); WsRecorder ws = server.ws("order")) {
            ws.next();
            String blocker = server.queue(Prompts.gate(0), "order");
            server.gate.awaitEntered();
            String normal = server.queue(Prompts.steps(0, "normal"), "order");
            ObjectNode front = Json.object();
            front.set("prompt", Prompts.steps(0, "front"));
            front.put("client_id", "order");
            front.put("front", true);
            JsonNode frontResponse = server.postJson("/prompt", front).json();
            ObjectNode explicit = Json.object();
            explicit.set("prompt", Prompts.steps(0, "explicit"));
            explicit.put("client_id", "order");
            explicit.put("number", -100);
            JsonNode explicitResponse = server.postJson("/prompt", explicit).json();
            assertTrue(frontResponse.path("number").asLong() < 0);
            assertEquals("-100.0", explicitResponse.path("number").toString());

            List<String> pending = new ArrayList<>();
            server.get("/queue").json().path("queue_pending").forEach(item -> pending.add(item.path(1).asText()));
            assertEquals(List.of(explicitResponse.path("prompt_id").asText(), frontResponse.path("prompt_id").asText(),
                    normal), pending);
            server.gate.open();
            List<String> finished = new ArrayList<>();
            while (finished.size() < 4) {
                JsonNode message = ws.awaitType("executing");
                if (message.path("data").path("node").isNull()) {
                    finished.add(message.path("data").path("prompt_id").asText());
                }
            }
            assertEquals(List.of(blocker, explicitResponse.path("prompt_id").asText(),
                    frontResponse.path("prompt_id").asText(), normal), finished);
        }
    }

    @Test
    void rule_3_4_deletedAndClearedPendingPrompts_neverRun_norEnterHistory() throws Exception {
        try (TestServer server = TestServer.start(dataDir); WsRecorder ws = server.ws("del")) {
            ws.next();
            String blocker = server.queue(Prompts.gate(0), "del");
            server.gate.awaitEntered();
            String deleted = server.queue(Prompts.steps(0, "a"), "del");
            String cleared = server.queue(Prompts.steps(0, "b"), "del");
            ObjectNode delete = Json.object();
            delete.putArray("delete").add(deleted);
            server.postJson("/queue", delete);
            assertEquals(1, server.get("/queue").json().path("queue_pending").size());
            server.post("/queue", "{\"clear\": true}");
            JsonNode queue = server.get("/queue").json();
            assertEquals(0, queue.path("queue_pending").size());
            assertEquals(blocker, queue.path("queue_running").path(0).path(1).asText(), "the running one stays");
            server.gate.open();
            ws.untilDone(blocker);
            JsonNode history = server.get("/history").json();
            assertEquals(List.of(blocker), fieldNames(history));
            assertFalse(history.has(deleted) || history.has(cleared));
        }
    }

    @Test
    void rule_5_4_eventsGoOnlyToThePromptsClient_promptsWithoutClientBroadcastOnlyProgress() throws Exception {
        try (TestServer server = TestServer.start(dataDir); WsRecorder owner = server.ws("owner");
                WsRecorder bystander = server.ws("bystander")) {
            owner.next();
            bystander.next();
            owner.untilDone(server.queue(Prompts.steps(1, "mine"), "owner"));
            List<String> seenByBystander = untilBarrier(bystander);
            assertTrue(seenByBystander.stream().allMatch(line -> line.startsWith("status")), seenByBystander.toString());

            String anonymous = server.queue(Prompts.steps(2, "nobody's"), null);
            List<String> broadcast = new ArrayList<>();
            while (broadcast.stream().noneMatch(l -> l.equals("status 0"))) {
                broadcast.add(summarize(bystander.next()));
            }
            assertEquals(List.of("status 1", "status 1",
                    "progress_state 1=running",
                    "progress_state 1=running", "progress 1/2",
                    "progress_state 1=running", "progress 2/2",
                    "progress_state 1=finished", "status 0"), broadcast);
            assertTrue(server.get("/history/" + anonymous).json().has(anonymous), "recorded though not sent");
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
