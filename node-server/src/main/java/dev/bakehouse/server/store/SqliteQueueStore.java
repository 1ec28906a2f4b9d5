package dev.bakehouse.server.store;

import dev.bakehouse.server.json.Json;
import dev.bakehouse.server.queue.QueueItem;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** {@link QueueStore} in the embedded SQLite database. */
public final class SqliteQueueStore implements QueueStore {
    private static final String COUNTER_KEY = "queue_counter";

    private final SqliteDatabase db;

    public SqliteQueueStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public List<Stored> loadAll() {
        return db.transaction(
                c -> {
                    List<Stored> items = new ArrayList<>();
                    try (PreparedStatement select = c.prepareStatement("SELECT item, state FROM queue ORDER BY id");
                            ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            QueueItem item = QueueItem.fromStoredJson(Json.parseTrusted(rows.getString(1)));
                            items.add(new Stored(item, "running".equals(rows.getString(2))));
                        }
                    }
                    return items;
                });
    }

    @Override
    public void addPending(QueueItem item) {
        db.update(
                "INSERT INTO queue (prompt_id, state, item) VALUES (?, 'pending', ?)",
                item.promptId(),
                Json.write(item.toStoredJson()));
    }

    @Override
    public void markRunning(String promptId) {
        db.update("UPDATE queue SET state = 'running' WHERE prompt_id = ?", promptId);
    }

    @Override
    public void remove(String promptId) {
        db.update("DELETE FROM queue WHERE prompt_id = ?", promptId);
    }

    @Override
    public void removePending(Collection<String> promptIds) {
        db.batch("DELETE FROM queue WHERE prompt_id = ? AND state = 'pending'", promptIds);
    }

    @Override
    public void clearPending() {
        db.update("DELETE FROM queue WHERE state = 'pending'");
    }

    @Override
    public long takeNumber() {
        return db.transaction(
                c -> {
                    long current = 0;
                    try (PreparedStatement select = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
                        select.setString(1, COUNTER_KEY);
                        try (ResultSet rows = select.executeQuery()) {
                            if (rows.next()) {
                                current = Long.parseLong(rows.getString(1));
                            }
                        }
                    }
                    SqliteDatabase.update(
                            c, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", COUNTER_KEY, Long.toString(current + 1));
                    return current;
                });
    }
}
