package dev.bakehouse.server.queue;

/** Told after every change of the queue (add, start, finish, clear, delete). */
@FunctionalInterface
public interface QueueListener {
    /** @param remaining pending plus running items after the change */
    void queueChanged(int remaining);
}
