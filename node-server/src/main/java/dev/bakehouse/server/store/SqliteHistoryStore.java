package dev.bakehouse.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Optional;

/** {@link HistoryStore} in the embedded SQLite database; insertion order is the row sequence. */
public final class SqliteHistoryStore implements HistoryStore {
    private final SqliteDatabase db;
    private final int capacity;

    public SqliteHistoryStore(SqliteDatabase db, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history capacity must be at least 1, was " + capacity);
        }
        this.db = db;
        this.capacity = capacity;
    }

    @Override
    public void put(String promptId, String entryJson) {
        db.transaction(
                c -> {
                    SqliteDatabase.update(c, "DELETE FROM history WHERE prompt_id = ?", promptId);
                    SqliteDatabase.update(c, "INSERT INTO history (prompt_id, entry) VALUES (?, ?)", promptId, entryJson);
                    SqliteDatabase.update(
                            c,
                            "DELETE FROM history WHERE seq <= (SELECT seq FROM history ORDER BY seq DESC LIMIT 1 OFFSET ?)",
                            capacity);
                    return null;
                });
    }

    @Override
    public Optional<String> get(String promptId) {
        return db.transaction(
                c -> {
                    try (PreparedStatement select = c.prepareStatement("SELECT entry FROM history WHERE prompt_id = ?")) {
                        select.setString(1, promptId);
                        try (ResultSet rows = select.executeQuery()) {
                            return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
                        }
                    }
                });
    }

    @Override
    public boolean contains(String promptId) {
        return get(promptId).isPresent();
    }

    @Override
    public LinkedHashMap<String, String> select(Integer maxItems, Integer offset) {
        return db.transaction(
                c -> {
                    int size = count(c);
                    int start;
                    int limit;
                    if (offset != null) {
                        start = Math.max(0, offset);
                        limit = maxItems == null ? size : Math.max(0, maxItems);
                    } else if (maxItems != null) {
                        limit = Math.max(0, maxItems);
                        start = Math.max(0, size - limit);
                    } else {
                        start = 0;
                        limit = size;
                    }
                    LinkedHashMap<String, String> entries = new LinkedHashMap<>();
                    try (PreparedStatement select =
                            c.prepareStatement("SELECT prompt_id, entry FROM history ORDER BY seq LIMIT ? OFFSET ?")) {
                        select.setInt(1, limit);
                        select.setInt(2, start);
                        try (ResultSet rows = select.executeQuery()) {
                            while (rows.next()) {
                                entries.put(rows.getString(1), rows.getString(2));
                            }
                        }
                    }
                    return entries;
                });
    }

    @Override
    public void delete(Collection<String> promptIds) {
        db.batch("DELETE FROM history WHERE prompt_id = ?", promptIds);
    }

    @Override
    public void clear() {
        db.update("DELETE FROM history");
    }

    @Override
    public int size() {
        return db.transaction(SqliteHistoryStore::count);
    }

    private static int count(java.sql.Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM history");
                ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
