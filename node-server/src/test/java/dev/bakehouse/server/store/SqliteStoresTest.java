package dev.bakehouse.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.queue.QueueItem;
import dev.bakehouse.server.queue.QueueNumber;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoresTest {
    @TempDir
    Path dir;

    private static QueueItem item(String id, QueueNumber number) {
        var extra = Json.object();
        extra.put("client_id", "c1");
        extra.put("api_key_comfy_org", "secret");
        return new QueueItem(number, id, Json.object(), extra, List.of("9"));
    }

    @Test
    void history_selectionRules_followSpec37() {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("b.db"))) {
            HistoryStore history = new SqliteHistoryStore(db, 100);
            for (int i = 0; i < 5; i++) {
                history.put("p" + i, "{\"i\":" + i + "}");
            }
            assertEquals(List.of("p0", "p1", "p2", "p3", "p4"), List.copyOf(history.select(null, null).keySet()));
            assertEquals(List.of("p3", "p4"), List.copyOf(history.select(2, null).keySet()));
            assertEquals(List.of("p1", "p2", "p3", "p4"), List.copyOf(history.select(null, 1).keySet()));
            assertEquals(List.of("p1", "p2"), List.copyOf(history.select(2, 1).keySet()));
            assertEquals(List.of(), List.copyOf(history.select(2, 9).keySet()));
        }
    }

    @Test
    void history_overCapacity_dropsOldestFirst() {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("b.db"))) {
            HistoryStore history = new SqliteHistoryStore(db, 3);
            for (int i = 0; i < 5; i++) {
                history.put("p" + i, "{}");
            }
            assertEquals(3, history.size());
            assertEquals(List.of("p2", "p3", "p4"), List.copyOf(history.select(null, null).keySet()));
            history.delete(List.of("p3", "unknown"));
            assertFalse(history.contains("p3"));
            history.clear();
            assertEquals(0, history.size());
        }
    }

    @Test
    void queue_itemsAndCounter_surviveReopening() {
        Path file = dir.resolve("b.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            QueueStore queue = new SqliteQueueStore(db);
            assertEquals(0, queue.takeNumber());
            assertEquals(1, queue.takeNumber());
            queue.addPending(item("a", QueueNumber.counter(0)));
            queue.addPending(item("b", QueueNumber.explicit(5)));
            queue.addPending(item("c", QueueNumber.counter(1)));
            queue.markRunning("a");
            queue.removePending(List.of("a", "c")); // "a" is running: not removed
        }
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            QueueStore queue = new SqliteQueueStore(db);
            List<QueueStore.Stored> stored = queue.loadAll();
            assertEquals(2, stored.size());
            assertEquals("a", stored.get(0).item().promptId());
            assertTrue(stored.get(0).running());
            QueueItem b = stored.get(1).item();
            assertEquals(QueueNumber.explicit(5), b.number());
            assertEquals("5.0", b.number().toJson().toString());
            assertEquals("secret", b.extraData().path("api_key_comfy_org").asText(), "the worker still needs secrets");
            assertFalse(b.toPublicJson().get(3).has("api_key_comfy_org"), "clients never see secrets");
            assertEquals(2, queue.takeNumber());
        }
    }

    @Test
    void closedDatabase_refusesWrites() {
        SqliteDatabase db = SqliteDatabase.open(dir.resolve("b.db"));
        HistoryStore history = new SqliteHistoryStore(db, 10);
        db.close();
        StoreException e = assertThrows(StoreException.class, () -> history.put("x", "{}"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void runRecords_trackCurrentNodeAndExecuted() {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("b.db"))) {
            RunStore runs = new SqliteRunStore(db);
            runs.started("p", 1000);
            runs.nodeStarted("p", "4", "LoadImage");
            runs.nodeFinished("p", "4");
            runs.nodeStarted("p", "9", "SaveImage");
            RunStore.Run run = runs.get("p").orElseThrow();
            assertEquals("9", run.currentNode());
            assertEquals("SaveImage", run.currentClassType());
            assertEquals(List.of("4"), run.executed());
            assertEquals(null, run.finishedAtMillis());
            runs.finished("p", "execution_success", 2000);
            assertEquals(2000L, runs.get("p").orElseThrow().finishedAtMillis());
        }
    }
}
