package dev.bakehouse.server.worker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.bakehouse.server.exec.Outcome;
import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.queue.QueueItem;
import dev.bakehouse.server.store.HistoryStore;
import dev.bakehouse.server.store.QueueStore;
import dev.bakehouse.server.store.RunStore;
import dev.bakehouse.server.ws.Events;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the persisted queue back after a restart or a kill.
 *
 * <p>Pending items are returned to be queued again, in their old order. An item that was
 * <em>running</em> when the server stopped is not run again: it is recorded in history as
 * interrupted ({@code status_str} "error", with an {@code execution_interrupted} message naming the
 * node that was running, from the run record). Re-running it automatically could repeat a crash
 * forever, or silently redo hours of training; the user can queue it again. When its history
 * entry was already stored (the server stopped between storing history and dequeuing), the item
 * is simply dropped.
 */
public final class StartupRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(StartupRecovery.class);

    private StartupRecovery() {}

    /** Resolves running leftovers and returns the pending items to restore. */
    public static List<QueueItem> recover(QueueStore queue, HistoryStore history, RunStore runs, Clock clock) {
        List<QueueItem> pending = new ArrayList<>();
        for (QueueStore.Stored stored : queue.loadAll()) {
            QueueItem item = stored.item();
            if (!stored.running()) {
                pending.add(item);
                continue;
            }
            if (!history.contains(item.promptId())) {
                history.put(item.promptId(), Json.write(interruptedEntry(item, runs.get(item.promptId()), clock)));
                LOG.warn("prompt {} was running when the server stopped; recorded as interrupted", item.promptId());
            }
            queue.remove(item.promptId());
        }
        return pending;
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode interruptedEntry(
            QueueItem item, Optional<RunStore.Run> run, Clock clock) {
        ArrayNode messages = Json.array();
        run.ifPresent(r -> messages.add(HistoryEntries.message(
                Events.EXECUTION_START, Events.executionStart(item.promptId(), r.startedAtMillis()))));
        Outcome.Interrupted interrupted = new Outcome.Interrupted(
                run.map(RunStore.Run::currentNode).orElse(null),
                run.map(RunStore.Run::currentClassType).orElse(null),
                run.map(RunStore.Run::executed).orElse(List.of()),
                Map.of());
        messages.add(HistoryEntries.message(
                Events.EXECUTION_INTERRUPTED, interrupted.toJson(item.promptId(), clock.millis())));
        return HistoryEntries.entry(item, Map.of(), false, messages);
    }
}
