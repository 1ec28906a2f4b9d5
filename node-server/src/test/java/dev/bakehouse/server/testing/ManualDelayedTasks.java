package dev.bakehouse.server.testing;

import dev.bakehouse.server.queue.DelayedTasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A scheduler whose time moves only when the test calls {@link #advance}. */
public final class ManualDelayedTasks implements DelayedTasks {
    private record Task(long dueNanos, Runnable action) {}

    private final List<Task> tasks = new ArrayList<>();
    private long nowNanos;

    @Override
    public synchronized void schedule(Duration delay, Runnable task) {
        tasks.add(new Task(nowNanos + delay.toNanos(), task));
        notifyAll();
    }

    /** Moves time forward and runs the tasks that became due, in due order. */
    public void advance(Duration by) {
        List<Task> due = new ArrayList<>();
        synchronized (this) {
            nowNanos += by.toNanos();
            tasks.removeIf(t -> t.dueNanos() <= nowNanos && due.add(t));
        }
        due.sort((a, b) -> Long.compare(a.dueNanos(), b.dueNanos()));
        due.forEach(t -> t.action().run());
    }

    /** Tasks scheduled and not yet run. */
    public synchronized int pending() {
        return tasks.size();
    }

    /** Waits (on a monitor, with a deadline) until at least {@code count} tasks are scheduled. */
    public synchronized void awaitPending(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (tasks.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " scheduled tasks, have " + tasks.size());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
