package dev.bakehouse.server.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.bakehouse.server.json.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link RunStore} in the embedded SQLite database. */
public final class SqliteRunStore implements RunStore {
    private final SqliteDatabase db;

    public SqliteRunStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public void started(String promptId, long atMillis) {
        db.update("INSERT OR REPLACE INTO runs (prompt_id, started_at, executed) VALUES (?, ?, '[]')", promptId, atMillis);
    }

    @Override
    public void nodeStarted(String promptId, String nodeId, String classType) {
        db.update("UPDATE runs SET current_node = ?, current_class = ? WHERE prompt_id = ?", nodeId, classType, promptId);
    }

    @Override
    public void nodeFinished(String promptId, String nodeId) {
        db.update("UPDATE runs SET executed = json_insert(executed, '$[#]', ?) WHERE prompt_id = ?", nodeId, promptId);
    }

    @Override
    public void finished(String promptId, String outcome, long atMillis) {
        db.update("UPDATE runs SET outcome = ?, finished_at = ? WHERE prompt_id = ?", outcome, atMillis, promptId);
    }

    @Override
    public Optional<Run> get(String promptId) {
        return db.transaction(
                c -> {
                    try (PreparedStatement select =
                            c.prepareStatement(
                                    "SELECT started_at, finished_at, outcome, current_node, current_class, executed"
                                            + " FROM runs WHERE prompt_id = ?")) {
                        select.setString(1, promptId);
                        try (ResultSet rows = select.executeQuery()) {
                            if (!rows.next()) {
                                return Optional.empty();
                            }
                            long finished = rows.getLong(2);
                            Long finishedAt = rows.wasNull() ? null : finished;
                            List<String> executed = new ArrayList<>();
                            ((ArrayNode) Json.parseTrusted(rows.getString(6))).forEach(n -> executed.add(n.asText()));
                            return Optional.of(
                                    new Run(
                                            promptId,
                                            rows.getLong(1),
                                            finishedAt,
                                            rows.getString(3),
                                            rows.getString(4),
                                            rows.getString(5),
                                            executed));
                        }
                    }
                });
    }
}
