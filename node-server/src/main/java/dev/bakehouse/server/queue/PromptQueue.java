package dev.bakehouse.server.queue;

import dev.bakehouse.server.store.QueueStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The pending prompts and the one running prompt, ordered by (number, prompt_id) (spec §3.3,
 * §6.1), mirrored into a {@link QueueStore} so that they survive a restart.
 *
 * <p>A newly added item is <em>held</em> until {@link #release} is called: the HTTP layer releases
 * it a grace period after the {@code POST /prompt} response was flushed, so that no event of the
 * prompt can overtake the response (spec §3.3, §5.8 rule 1). The worker always takes the head of
 * the queue; while the head is held the worker waits rather than running a later item, which
 * keeps queue order exact.
 */
public final class PromptQueue {
    private final QueueStore store;
    private final QueueListener listener;
    private final List<QueueItem> pending = new ArrayList<>();
    private final Set<String> released = new HashSet<>();
    private QueueItem running;
    private boolean closed;

    public PromptQueue(QueueStore store, QueueListener listener) {
        this.store = store;
        this.listener = listener;
    }

    /** Restores items from the store; they are released at once (no response is pending). */
    public synchronized void restore(Collection<QueueItem> items) {
        for (QueueItem item : items) {
            pending.add(item);
            released.add(item.promptId());
        }
        pending.sort(QueueItem.ORDER);
        notifyAll();
    }

    /** Durably adds a held item and tells the listener. */
    public void add(QueueItem item) {
        int remaining;
        synchronized (this) {
            store.addPending(item);
            pending.add(item);
            pending.sort(QueueItem.ORDER);
            remaining = remaining();
        }
        listener.queueChanged(remaining);
    }

    /** Lets the worker start this item (ignored when it is gone already). */
    public synchronized void release(String promptId) {
        released.add(promptId);
        notifyAll();
    }

    /**
     * Waits for the head of the queue to be released, marks it running and returns it.
     *
     * @throws InterruptedException when the worker is stopped
     */
    public QueueItem take() throws InterruptedException {
        QueueItem item;
        int remaining;
        synchronized (this) {
            while (!closed && (pending.isEmpty() || !released.contains(pending.get(0).promptId()))) {
                wait();
            }
            if (closed) {
                throw new InterruptedException("queue closed");
            }
            item = pending.remove(0);
            released.remove(item.promptId());
            store.markRunning(item.promptId());
            running = item;
            remaining = remaining();
        }
        listener.queueChanged(remaining);
        return item;
    }

    /**
     * Removes the running item. Call only after its history entry is stored, so that the prompt is
     * always in pending, running or history (spec §3.4 invariant).
     */
    public void finishRunning() {
        int remaining;
        synchronized (this) {
            if (running == null) {
                return;
            }
            store.remove(running.promptId());
            running = null;
            remaining = remaining();
        }
        listener.queueChanged(remaining);
    }

    /** Removes all pending items (not the running one). */
    public void clearPending() {
        int remaining;
        synchronized (this) {
            store.clearPending();
            pending.forEach(item -> released.remove(item.promptId()));
            pending.clear();
            remaining = remaining();
        }
        listener.queueChanged(remaining);
    }

    /** Removes the pending items with these ids; unknown ids are ignored. */
    public void deletePending(Collection<String> promptIds) {
        int remaining;
        synchronized (this) {
            store.removePending(promptIds);
            pending.removeIf(item -> promptIds.contains(item.promptId()));
            released.removeAll(promptIds);
            remaining = remaining();
        }
        listener.queueChanged(remaining);
    }

    public synchronized Optional<QueueItem> running() {
        return Optional.ofNullable(running);
    }

    /** Pending items in queue order (the reference returns heap order; sorted is a valid heap). */
    public synchronized List<QueueItem> pending() {
        return List.copyOf(pending);
    }

    public synchronized int remaining() {
        return pending.size() + (running == null ? 0 : 1);
    }

    /** Wakes a waiting {@link #take} with an InterruptedException; the queue stays persisted. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
