package dev.bakehouse.server.logs;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The newest lines of the server's console, for the frontend's log view (spec §3.15
 * {@code /internal/logs}). Bounded: the oldest line goes when a new one arrives at capacity.
 */
public final class LogRing {
    /** As many lines as ComfyUI keeps for its log view. */
    public static final int DEFAULT_CAPACITY = 300;

    /** One console line: when it was written (ISO-8601) and its text, line break included. */
    public record Entry(String time, String message) {}

    private final int capacity;
    private final Clock clock;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final List<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();

    public LogRing(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("log capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.clock = clock;
    }

    public void add(String message) {
        Entry entry = new Entry(clock.instant().toString(), message);
        synchronized (this) {
            if (entries.size() == capacity) {
                entries.removeFirst();
            }
            entries.addLast(entry);
        }
        // Outside the lock: a listener may itself read the ring.
        listeners.forEach(listener -> listener.accept(entry));
    }

    /** Calls {@code listener} with every line added from now on, on the thread that wrote it. */
    public void addListener(Consumer<Entry> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<Entry> listener) {
        listeners.remove(listener);
    }

    /** The kept lines, oldest first. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The kept lines as one text. */
    public synchronized String text() {
        StringBuilder text = new StringBuilder();
        entries.forEach(e -> text.append(e.message()));
        return text.toString();
    }
}
