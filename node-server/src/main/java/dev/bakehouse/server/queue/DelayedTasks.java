package dev.bakehouse.server.queue;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay. Injected so that tests control time: the grace period before a new
 * prompt may start (spec §3.3) is a scheduled release, and a test scheduler fires it on demand.
 */
@FunctionalInterface
public interface DelayedTasks {

    void schedule(Duration delay, Runnable task);

    /** A scheduler on one daemon thread of real time; {@link RealTime#close()} ends the thread. */
    static RealTime realTime(String threadName) {
        return new RealTime(threadName);
    }

    /** Real time on one daemon thread. */
    final class RealTime implements DelayedTasks, AutoCloseable {
        private final ScheduledExecutorService executor;

        private RealTime(String threadName) {
            this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, threadName);
                thread.setDaemon(true);
                return thread;
            });
        }

        @Override
        public void schedule(Duration delay, Runnable task) {
            if (delay.isZero() || delay.isNegative()) {
                executor.execute(task);
            } else {
                executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
