package dev.bakehouse.server.exec;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The interrupt request of {@code POST /interrupt} (spec §6.7): set by any thread, noticed by the
 * executor before each node starts and whenever a node reports progress, cleared when the next
 * prompt starts.
 */
public final class InterruptFlag {
    private final AtomicBoolean requested = new AtomicBoolean();

    /** Asks the running prompt to stop. */
    public void request() {
        requested.set(true);
    }

    /** Withdraws a request (the executor does this when a prompt starts). */
    public void clear() {
        requested.set(false);
    }

    public boolean isRequested() {
        return requested.get();
    }
}
