package dev.bakehouse.server.store;

import dev.bakehouse.server.queue.QueueItem;
import java.util.Collection;
import java.util.List;

/**
 * Durable copy of the queue: pending items, the running item and the queue-number counter.
 *
 * <p>The in-memory queue is the authority while the server runs; this store lets it survive a
 * restart or a kill. The embedded implementation is SQLite ({@link SqliteQueueStore}). A shared
 * PostgreSQL implementation for several servers would claim work with {@code SELECT … FROM queue
 * WHERE state = 'pending' ORDER BY number, prompt_id LIMIT 1 FOR UPDATE SKIP LOCKED} followed by
 * an update to {@code running} in the same transaction, so that no two workers take the same
 * prompt and nothing outside the database schedules jobs.
 */
public interface QueueStore {

    /** A persisted item and whether it was running when last written. */
    record Stored(QueueItem item, boolean running) {}

    /** Every item, pending and running, in no particular order. */
    List<Stored> loadAll();

    void addPending(QueueItem item);

    void markRunning(String promptId);

    /** Removes the item whatever its state (used when it has moved to history). */
    void remove(String promptId);

    /** Removes pending items with these ids; running items are not affected. */
    void removePending(Collection<String> promptIds);

    void clearPending();

    /**
     * Returns the counter's current value and advances it by one, durably: queue numbers keep
     * increasing across restarts, so prompts queued after a restart sort after surviving ones.
     */
    long takeNumber();
}
