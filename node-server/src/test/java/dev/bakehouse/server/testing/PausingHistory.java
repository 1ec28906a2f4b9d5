package dev.bakehouse.server.testing;

import dev.bakehouse.server.store.HistoryStore;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A history store whose next {@link #put} waits, inside the call, until the test resumes it. */
public final class PausingHistory implements HistoryStore {
    private final HistoryStore inner;
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch resume = new CountDownLatch(1);

    public PausingHistory(HistoryStore inner) {
        this.inner = inner;
    }

    /** Waits until the worker is inside {@code put}, before anything was stored. */
    public void awaitPutEntered() throws InterruptedException {
        if (!entered.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("history was not stored within 30 s");
        }
    }

    public void resume() {
        resume.countDown();
    }

    @Override
    public void put(String promptId, String entryJson) {
        entered.countDown();
        try {
            if (!resume.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("test never resumed the history store");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        inner.put(promptId, entryJson);
    }

    @Override
    public Optional<String> get(String promptId) {
        return inner.get(promptId);
    }

    @Override
    public boolean contains(String promptId) {
        return inner.contains(promptId);
    }

    @Override
    public LinkedHashMap<String, String> select(Integer maxItems, Integer offset) {
        return inner.select(maxItems, offset);
    }

    @Override
    public void delete(Collection<String> promptIds) {
        inner.delete(promptIds);
    }

    @Override
    public void clear() {
        inner.clear();
    }

    @Override
    public int size() {
        return inner.size();
    }
}
