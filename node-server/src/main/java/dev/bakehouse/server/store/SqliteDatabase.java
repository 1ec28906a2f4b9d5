package dev.bakehouse.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded database under the data dir ({@code bakehouse.db}) holding queue, history, run
 * records and GACHAMAX loops. Tables are created when missing ({@code CREATE TABLE IF NOT
 * EXISTS}), so a database from an older version gains the new tables on open. One connection,
 * used by one thread at a time: SQLite serializes writers anyway,
 * and the server's write rate (a few rows per prompt and node) is far below what that allows.
 *
 * <p>WAL mode with {@code synchronous=NORMAL}: a committed transaction survives a process kill
 * (the WAL is written before commit returns); only an OS crash may lose the last commits.
 */
public final class SqliteDatabase implements AutoCloseable {

    /** A unit of work on the connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final String SCHEMA =
            """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS queue (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                prompt_id TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'running')),
                item TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS queue_prompt ON queue (prompt_id);
            CREATE TABLE IF NOT EXISTS history (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                prompt_id TEXT NOT NULL UNIQUE,
                entry TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS runs (
                prompt_id TEXT PRIMARY KEY,
                started_at INTEGER NOT NULL,
                finished_at INTEGER,
                outcome TEXT,
                current_node TEXT,
                current_class TEXT,
                executed TEXT NOT NULL DEFAULT '[]');
            CREATE TABLE IF NOT EXISTS gachamax_loops (
                name TEXT PRIMARY KEY,
                source_folder TEXT NOT NULL,
                created_at INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS gachamax_dataset_versions (
                loop TEXT NOT NULL REFERENCES gachamax_loops (name),
                version INTEGER NOT NULL,
                folder TEXT NOT NULL,
                parent INTEGER NOT NULL,
                images TEXT NOT NULL,
                added TEXT NOT NULL,
                dropped TEXT NOT NULL,
                PRIMARY KEY (loop, version));
            CREATE TABLE IF NOT EXISTS gachamax_rounds (
                loop TEXT NOT NULL REFERENCES gachamax_loops (name),
                round INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('training', 'awaiting_picks', 'picked')),
                dataset_version INTEGER NOT NULL,
                lora_file TEXT,
                lora_hash TEXT,
                parent_hash TEXT,
                steps INTEGER NOT NULL,
                total_steps INTEGER NOT NULL,
                closeness REAL,
                prompt_following REAL,
                trigger_agreement REAL,
                overfit REAL,
                drops TEXT NOT NULL DEFAULT '[]',
                started_at INTEGER NOT NULL,
                finished_at INTEGER,
                PRIMARY KEY (loop, round));
            CREATE TABLE IF NOT EXISTS gachamax_candidates (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                loop TEXT NOT NULL REFERENCES gachamax_loops (name),
                round INTEGER NOT NULL,
                idx INTEGER NOT NULL,
                prompt TEXT NOT NULL,
                seed INTEGER NOT NULL,
                file TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                score REAL,
                picked INTEGER NOT NULL DEFAULT 0,
                caption TEXT,
                UNIQUE (loop, round, idx));
            """;

    private final Path file;
    private Connection connection;

    private SqliteDatabase(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens (creating if needed) the database file and its schema. */
    public static SqliteDatabase open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=NORMAL");
                statement.execute("PRAGMA busy_timeout=5000");
                for (String ddl : SCHEMA.split(";")) {
                    if (!ddl.isBlank()) {
                        statement.execute(ddl);
                    }
                }
            }
            return new SqliteDatabase(file, connection);
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** Runs work in one transaction; a failure rolls it back and surfaces as StoreException. */
    public synchronized <T> T transaction(Work<T> work) {
        if (connection == null) {
            throw new StoreException("database " + file + " is closed", null);
        }
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Runs one parameterized statement in its own transaction; returns the changed row count. */
    public int update(String sql, Object... parameters) {
        return transaction(c -> update(c, sql, parameters));
    }

    /** Runs one parameterized statement on a connection inside a transaction. */
    public static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    /** Runs a one-parameter statement once per value, in one transaction. */
    public void batch(String sql, Collection<String> values) {
        transaction(
                c -> {
                    try (PreparedStatement statement = c.prepareStatement(sql)) {
                        for (String value : values) {
                            statement.setString(1, value);
                            statement.addBatch();
                        }
                        return statement.executeBatch();
                    }
                });
    }

    public boolean isOpen() {
        return connection != null;
    }

    /**
     * Closes the connection. Later calls fail with {@link StoreException}: after an abrupt stop a
     * worker thread still finishing a node can no longer write anything.
     */
    @Override
    public synchronized void close() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("closing " + file + ": " + e.getMessage(), e);
        } finally {
            connection = null;
        }
    }
}
