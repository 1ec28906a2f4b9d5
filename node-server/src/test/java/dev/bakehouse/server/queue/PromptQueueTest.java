package dev.bakehouse.server.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.store.SqliteDatabase;
import dev.bakehouse.server.store.SqliteQueueStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptQueueTest {
    @TempDir
    Path dir;

    private SqliteDatabase db;
    private PromptQueue queue;
    private final List<Integer> statusCounts = new ArrayList<>();

    @BeforeEach
    void open() {
        db = SqliteDatabase.open(dir.resolve("q.db"));
        queue = new PromptQueue(new SqliteQueueStore(db), statusCounts::add);
    }

    @AfterEach
    void close() {
        queue.close();
        db.close();
    }

    private static QueueItem item(String id, QueueNumber number) {
        return new QueueItem(number, id, Json.object(), Json.object(), List.of("1"));
    }

    private void addReleased(QueueItem item) {
        queue.add(item);
        queue.release(item.promptId());
    }

    @Test
    void queueOrder_isNumberThenPromptId() throws InterruptedException {
        addReleased(item("b", QueueNumber.counter(2)));
        addReleased(item("a", QueueNumber.counter(2)));
        addReleased(item("z", QueueNumber.counter(1)));
        addReleased(item("front", QueueNumber.counter(-3)));
        addReleased(item("explicit", QueueNumber.explicit(1.5)));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add(queue.take().promptId());
            queue.finishRunning();
        }
        assertEquals(List.of("front", "z", "explicit", "a", "b"), order);
    }

    @Test
    void heldHead_isNotOvertakenByReleasedLaterItem() throws Exception {
        queue.add(item("first", QueueNumber.counter(0)));
        addReleased(item("second", QueueNumber.counter(1)));
        CompletableFuture<String> taken = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                taken.complete(queue.take().promptId());
            } catch (Throwable e) {
                taken.completeExceptionally(e);
            }
        }, "taker");
        taker.setDaemon(true);
        taker.start();
        awaitWaitingInTake(taker);
        // The taker has looked at the queue and gone to sleep: with "second" released and free to
        // run, only the held head can have stopped it.
        assertTrue(queue.running().isEmpty(), "nothing may start while the head is held");
        assertEquals(2, queue.remaining());
        assertFalse(taken.isDone(), "take() returned while the head was held: " + taken);
        queue.release("first");
        assertEquals("first", taken.get(10, TimeUnit.SECONDS));
    }

    /**
     * Spins (no sleep; the suite's per-test timeout bounds it) until {@code thread} waits inside
     * {@link PromptQueue#take}: state WAITING with {@code take} on its stack, which it reaches only
     * after finding nothing it may start.
     */
    private static void awaitWaitingInTake(Thread thread) {
        while (!(thread.getState() == Thread.State.WAITING && Arrays.stream(thread.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(PromptQueue.class.getName()) && f.getMethodName().equals("take")))) {
            if (!thread.isAlive()) {
                throw new AssertionError("the taker ended without waiting");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void everyChange_reportsRemainingCount() throws InterruptedException {
        addReleased(item("a", QueueNumber.counter(0)));
        addReleased(item("b", QueueNumber.counter(1)));
        addReleased(item("c", QueueNumber.counter(2)));
        queue.take();
        queue.deletePending(List.of("b", "unknown"));
        queue.clearPending();
        queue.finishRunning();
        assertEquals(List.of(1, 2, 3, 3, 2, 1, 0), statusCounts);
    }
}
