package dev.bakehouse.server.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.server.exec.ExecutionError;
import dev.bakehouse.server.exec.ExecutionListener;
import dev.bakehouse.server.exec.InterruptFlag;
import dev.bakehouse.server.exec.Outcome;
import dev.bakehouse.server.exec.OutputCache;
import dev.bakehouse.server.exec.PromptExecutor;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.queue.PromptQueue;
import dev.bakehouse.server.queue.QueueItem;
import dev.bakehouse.server.store.HistoryStore;
import dev.bakehouse.server.store.RunStore;
import dev.bakehouse.server.ws.Events;
import dev.bakehouse.server.ws.PreviewFrames;
import dev.bakehouse.server.ws.ProgressState;
import dev.bakehouse.server.ws.WsHub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single worker (spec §6.1): takes the head of the queue, runs it, and ends it in the order
 * clients depend on (spec §5.8): history stored → terminal event ({@code execution_success},
 * {@code _error} or {@code _interrupted}) → removed from running and {@code status} broadcast →
 * {@code executing {node: null}} last, for every outcome.
 */
public final class PromptWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PromptWorker.class);

    /** What the worker is doing, for the reconnect hint (spec §5.1). */
    private record Current(String clientId, String nodeId) {}

    private final PromptQueue queue;
    private final PromptExecutor executor;
    private final OutputCache cache;
    private final InterruptFlag interrupt;
    private final HistoryStore history;
    private final RunStore runs;
    private final WsHub hub;
    private final Clock clock;
    private final Runnable unloader;
    private final PreviewMethod previewMethod;
    private final AtomicBoolean unloadModels = new AtomicBoolean();
    private final AtomicBoolean freeMemory = new AtomicBoolean();
    /** Held while a prompt runs; {@code POST /free} acts at once only when it can take it. */
    private final ReentrantLock running = new ReentrantLock();
    private volatile Current current;
    private volatile boolean stopping;

    /**
     * @param unloader unloads the loaded models ({@code POST /free}), between prompts
     * @param previewMethod the server's; a prompt's {@code extra_data.preview_method} overrides it
     */
    public PromptWorker(
            PromptQueue queue,
            PromptExecutor executor,
            OutputCache cache,
            InterruptFlag interrupt,
            HistoryStore history,
            RunStore runs,
            WsHub hub,
            Clock clock,
            Runnable unloader,
            PreviewMethod previewMethod) {
        this.queue = queue;
        this.executor = executor;
        this.cache = cache;
        this.interrupt = interrupt;
        this.history = history;
        this.runs = runs;
        this.hub = hub;
        this.clock = clock;
        this.unloader = unloader;
        this.previewMethod = previewMethod;
    }

    @Override
    public void run() {
        while (!stopping) {
            QueueItem item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            running.lock();
            try {
                runOne(item);
            } catch (RuntimeException e) {
                if (stopping) {
                    return; // an abrupt stop closed the stores under a running prompt
                }
                LOG.error("worker failed while finishing prompt {}", item.promptId(), e);
            } finally {
                running.unlock();
            }
            // Before the next prompt: a request that found the prompt running is acted upon now.
            applyFreeRequestsWhenIdle();
        }
    }

    /** Stops taking prompts; a prompt that is running keeps its thread until its node returns. */
    public void stop() {
        stopping = true;
    }

    /**
     * {@code POST /free}: acted upon after the current prompt, or at once when idle.
     *
     * @param unload drop the executor's node instances and unload the models
     * @param free   as {@code unload}, and clear the output cache
     */
    public void requestFree(boolean unload, boolean free) {
        if (unload) {
            unloadModels.set(true);
        }
        if (free) {
            freeMemory.set(true);
        }
        applyFreeRequestsWhenIdle();
    }

    /** The running node's id when the running prompt belongs to this client, else null. */
    public String runningNodeOf(String clientId) {
        Current now = current;
        return now != null && clientId.equals(now.clientId()) ? now.nodeId() : null;
    }

    /**
     * Acts on pending requests unless a prompt runs. Each caller sets flags before trying and
     * checks them again after whoever held the lock let go, so no request waits for a later prompt.
     */
    private void applyFreeRequestsWhenIdle() {
        while ((unloadModels.get() || freeMemory.get()) && running.tryLock()) {
            try {
                applyFreeRequests();
            } finally {
                running.unlock();
            }
        }
    }

    /**
     * Called with {@link #running} held, so never while a prompt executes. {@code free_memory}
     * implies {@code unload_models} (spec §3.14).
     */
    private void applyFreeRequests() {
        boolean free = freeMemory.getAndSet(false);
        if (unloadModels.getAndSet(false) || free) {
            executor.dropNodeInstances();
            unloader.run();
        }
        if (free) {
            cache.clear();
        }
    }

    private void runOne(QueueItem item) {
        String promptId = item.promptId();
        PromptEvents events = new PromptEvents(hub, item.clientId());
        ArrayNode messages = Json.array();
        current = new Current(item.clientId(), null);
        long started = clock.millis();
        runs.started(promptId, started);
        Listener listener = new Listener(item, events, messages);
        Outcome outcome;
        try {
            outcome = executor.execute(
                    promptId, item.prompt(), item.extraData(), item.outputs(), listener, interrupt);
        } catch (RuntimeException e) {
            if (stopping) {
                throw e;
            }
            LOG.error("executor failed outside any node for prompt {}", promptId, e);
            outcome = new Outcome.Failed(executorFailure(listener.lastNode, item, e), Map.of());
        }
        finish(item, outcome, events, messages, started);
    }

    private void finish(QueueItem item, Outcome outcome, PromptEvents events, ArrayNode messages, long started) {
        String promptId = item.promptId();
        long now = clock.millis();
        logOutcome(promptId, outcome, (now - started) / 1000.0);
        String type;
        ObjectNode data;
        if (outcome instanceof Outcome.Success) {
            type = Events.EXECUTION_SUCCESS;
            data = Events.executionSuccess(promptId, now);
        } else if (outcome instanceof Outcome.Failed failed) {
            type = Events.EXECUTION_ERROR;
            data = failed.error().toJson(promptId, now);
        } else {
            type = Events.EXECUTION_INTERRUPTED;
            data = ((Outcome.Interrupted) outcome).toJson(promptId, now);
        }
        messages.add(HistoryEntries.message(type, data));
        boolean success = outcome instanceof Outcome.Success;
        history.put(promptId, Json.write(HistoryEntries.entry(item, outcome.uiOutputs(), success, messages)));
        runs.finished(promptId, type, now);
        if (type.equals(Events.EXECUTION_INTERRUPTED)) {
            events.toClientOrEveryone(type, data);
        } else {
            events.toClient(type, data);
        }
        current = null;
        queue.finishRunning();
        events.toClient(Events.EXECUTING, Events.executingDone(promptId));
    }

    /**
     * One console line per finished prompt, as ComfyUI prints: operators see failures without a
     * client, and clients that stream the console ({@code PATCH /internal/logs/subscribe}) get it.
     */
    private static void logOutcome(String promptId, Outcome outcome, double seconds) {
        String took = String.format(Locale.ROOT, "%.2f", seconds);
        if (outcome instanceof Outcome.Failed failed) {
            ExecutionError error = failed.error();
            LOG.warn("Prompt {} failed after {} seconds in node #{} {}: {}: {}", promptId, took, error.nodeId(),
                    error.nodeType(), error.exceptionType(), error.exceptionMessage());
        } else if (outcome instanceof Outcome.Interrupted) {
            LOG.info("Prompt {} interrupted after {} seconds", promptId, took);
        } else {
            LOG.info("Prompt {} executed in {} seconds", promptId, took);
        }
    }

    private static ExecutionError executorFailure(String nodeId, QueueItem item, RuntimeException e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String node = nodeId == null ? "" : nodeId;
        JsonNode classType = item.prompt().path(node).path("class_type");
        return new ExecutionError(
                node,
                classType.asText(""),
                List.of(),
                String.valueOf(e.getMessage()),
                e.getClass().getName(),
                Arrays.asList(trace.toString().split("(?<=\n)")),
                Json.object(),
                List.copyOf(item.outputs()));
    }

    /** Turns executor callbacks into WebSocket events, history messages and run records. */
    private final class Listener implements ExecutionListener {
        private final QueueItem item;
        private final String promptId;
        private final PromptEvents events;
        private final ArrayNode messages;
        private final ProgressState progress;
        private final boolean previews;
        private String lastNode;

        Listener(QueueItem item, PromptEvents events, ArrayNode messages) {
            this.item = item;
            this.promptId = item.promptId();
            this.events = events;
            this.messages = messages;
            this.progress = new ProgressState(promptId);
            this.previews = PreviewMethod.forRun(item.extraData(), previewMethod).previews();
        }

        @Override
        public void executionStart() {
            ObjectNode data = Events.executionStart(promptId, clock.millis());
            messages.add(HistoryEntries.message(Events.EXECUTION_START, data));
            events.toClient(Events.EXECUTION_START, data);
        }

        @Override
        public void executionCached(List<String> nodeIds) {
            ObjectNode data = Events.executionCached(nodeIds, promptId, clock.millis());
            messages.add(HistoryEntries.message(Events.EXECUTION_CACHED, data));
            events.toClient(Events.EXECUTION_CACHED, data);
        }

        @Override
        public void nodeStarting(String nodeId) {
            lastNode = nodeId;
            progress.started(nodeId);
            events.toClientOrEveryone(Events.PROGRESS_STATE, progress.snapshot());
            current = new Current(item.clientId(), nodeId);
            events.toClient(Events.EXECUTING, Events.executing(nodeId, nodeId, promptId));
            runs.nodeStarted(promptId, nodeId, item.prompt().path(nodeId).path("class_type").asText(""));
        }

        @Override
        public void progress(String nodeId, long value, long max) {
            progress.progress(nodeId, value, max);
            events.toClientOrEveryone(Events.PROGRESS_STATE, progress.snapshot());
            events.toClientOrEveryone(Events.PROGRESS, Events.progress(value, max, promptId, nodeId));
        }

        @Override
        public void progress(String nodeId, long value, long max, ImageBatch preview) {
            if (preview == null || !previews) {
                progress(nodeId, value, max);
                return;
            }
            progress.progress(nodeId, value, max);
            hub.sendProgressWithPreview(item.clientId(), progress.snapshot(),
                    Events.progress(value, max, promptId, nodeId), PreviewFrames.of(preview, nodeId, promptId));
        }

        @Override
        public void nodeEvent(String nodeId, String type, ObjectNode data) {
            ObjectNode sent = data.deepCopy();
            sent.put("prompt_id", promptId);
            sent.put("node", nodeId);
            events.toClientOrEveryone(type, sent);
        }

        @Override
        public void executed(String nodeId, ObjectNode ui) {
            events.toClient(Events.EXECUTED, Events.executed(nodeId, nodeId, ui, promptId));
        }

        @Override
        public void nodeFinished(String nodeId) {
            progress.finished(nodeId);
            events.toClientOrEveryone(Events.PROGRESS_STATE, progress.snapshot());
            runs.nodeFinished(promptId, nodeId);
        }
    }
}
