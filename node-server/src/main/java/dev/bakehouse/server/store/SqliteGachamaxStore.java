package dev.bakehouse.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.bakehouse.node.gachamax.CandidateRecord;
import dev.bakehouse.node.gachamax.DatasetVersionRecord;
import dev.bakehouse.node.gachamax.GachamaxStore;
import dev.bakehouse.node.gachamax.LoopRecord;
import dev.bakehouse.node.gachamax.PickRequest;
import dev.bakehouse.node.gachamax.RoundRecord;
import dev.bakehouse.node.gachamax.RoundScores;
import dev.bakehouse.node.gachamax.RoundStatus;
import dev.bakehouse.server.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link GachamaxStore} in the embedded SQLite database (tables {@code gachamax_*}). */
public final class SqliteGachamaxStore implements GachamaxStore {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String ROUND_COLUMNS = "loop, round, status, dataset_version, lora_file, lora_hash, parent_hash, "
            + "steps, total_steps, closeness, prompt_following, trigger_agreement, overfit, drops, started_at, finished_at";
    private static final String CANDIDATE_COLUMNS = "id, loop, round, idx, prompt, seed, file, sha256, score, picked, caption";

    private final SqliteDatabase db;

    public SqliteGachamaxStore(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<LoopRecord> loop(String name) {
        return db.transaction(c -> loop(c, name));
    }

    @Override
    public List<LoopRecord> loops() {
        return db.transaction(c -> {
            List<LoopRecord> out = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rows = st.executeQuery("SELECT name, source_folder, created_at FROM gachamax_loops "
                         + "ORDER BY created_at, name")) {
                while (rows.next()) {
                    out.add(new LoopRecord(rows.getString(1), rows.getString(2), rows.getLong(3)));
                }
            }
            return out;
        });
    }

    @Override
    public LoopRecord createLoop(LoopRecord loop) {
        return db.transaction(c -> {
            SqliteDatabase.update(c, "INSERT OR IGNORE INTO gachamax_loops (name, source_folder, created_at) VALUES (?, ?, ?)",
                    loop.name(), loop.sourceFolder(), loop.createdMillis());
            return loop(c, loop.name()).orElseThrow();
        });
    }

    private static Optional<LoopRecord> loop(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT name, source_folder, created_at FROM gachamax_loops WHERE name = ?")) {
            st.setString(1, name);
            try (ResultSet rows = st.executeQuery()) {
                return rows.next() ? Optional.of(new LoopRecord(rows.getString(1), rows.getString(2), rows.getLong(3)))
                        : Optional.empty();
            }
        }
    }

    @Override
    public List<RoundRecord> rounds(String loop) {
        return db.transaction(c -> rounds(c, loop, null));
    }

    private static List<RoundRecord> rounds(Connection c, String loop, Integer round) throws SQLException {
        String sql = "SELECT " + ROUND_COLUMNS + " FROM gachamax_rounds WHERE loop = ?"
                + (round == null ? "" : " AND round = ?") + " ORDER BY round";
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, loop);
            if (round != null) {
                st.setInt(2, round);
            }
            List<RoundRecord> out = new ArrayList<>();
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    Double closeness = nullableDouble(r, 10);
                    RoundScores scores = closeness == null ? null : new RoundScores(closeness, nullableDouble(r, 11),
                            nullableDouble(r, 12), nullableDouble(r, 13));
                    long finished = r.getLong(16);
                    Long finishedAt = r.wasNull() ? null : finished;
                    out.add(new RoundRecord(r.getString(1), r.getInt(2), RoundStatus.ofKey(r.getString(3)), r.getInt(4),
                            r.getString(5), r.getString(6), r.getString(7), r.getLong(8), r.getLong(9), scores,
                            strings(r.getString(14)), r.getLong(15), finishedAt));
                }
            }
            return out;
        }
    }

    @Override
    public void putRound(RoundRecord r) {
        RoundScores s = r.scores();
        db.update("INSERT OR REPLACE INTO gachamax_rounds (" + ROUND_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.loop(), r.round(), r.status().key(), r.datasetVersion(), r.loraFile(), r.loraHash(), r.parentHash(),
                r.steps(), r.totalSteps(), s == null ? null : s.closeness(), s == null ? null : s.promptFollowing(),
                s == null ? null : s.triggerAgreement(), s == null ? null : s.overfit(), Json.write(r.drops()),
                r.startedMillis(), r.finishedMillis());
    }

    @Override
    public Optional<DatasetVersionRecord> datasetVersion(String loop, int version) {
        return db.transaction(c -> datasetVersion(c, loop, version));
    }

    private static Optional<DatasetVersionRecord> datasetVersion(Connection c, String loop, int version)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT folder, parent, images, added, dropped FROM "
                + "gachamax_dataset_versions WHERE loop = ? AND version = ?")) {
            st.setString(1, loop);
            st.setInt(2, version);
            try (ResultSet r = st.executeQuery()) {
                return r.next() ? Optional.of(new DatasetVersionRecord(loop, version, r.getString(1), r.getInt(2),
                        strings(r.getString(3)), strings(r.getString(4)), strings(r.getString(5)))) : Optional.empty();
            }
        }
    }

    @Override
    public void putDatasetVersion(DatasetVersionRecord v) {
        db.update("INSERT OR REPLACE INTO gachamax_dataset_versions (loop, version, folder, parent, images, added, dropped) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)", v.loop(), v.version(), v.folder(), v.parent(), Json.write(v.images()),
                Json.write(v.added()), Json.write(v.dropped()));
    }

    @Override
    public List<CandidateRecord> putCandidates(String loop, int round, List<CandidateRecord> candidates) {
        return db.transaction(c -> {
            SqliteDatabase.update(c, "DELETE FROM gachamax_candidates WHERE loop = ? AND round = ?", loop, round);
            for (CandidateRecord k : candidates) {
                SqliteDatabase.update(c, "INSERT INTO gachamax_candidates (loop, round, idx, prompt, seed, file, sha256, "
                                + "score, picked, caption) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", loop, round, k.index(),
                        k.prompt(), k.seed(), k.file(), k.sha256(), k.score(), k.picked() ? 1 : 0, k.caption());
            }
            return candidates(c, loop, round);
        });
    }

    @Override
    public List<CandidateRecord> candidates(String loop, int round) {
        return db.transaction(c -> candidates(c, loop, round));
    }

    private static List<CandidateRecord> candidates(Connection c, String loop, int round) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + CANDIDATE_COLUMNS
                + " FROM gachamax_candidates WHERE loop = ? AND round = ? ORDER BY idx")) {
            st.setString(1, loop);
            st.setInt(2, round);
            List<CandidateRecord> out = new ArrayList<>();
            try (ResultSet r = st.executeQuery()) {
                while (r.next()) {
                    out.add(new CandidateRecord(r.getLong(1), r.getString(2), r.getInt(3), r.getInt(4), r.getString(5),
                            r.getLong(6), r.getString(7), r.getString(8), nullableDouble(r, 9), r.getInt(10) != 0,
                            r.getString(11)));
                }
            }
            return out;
        }
    }

    @Override
    public RoundRecord pick(String loop, int round, PickRequest picks) {
        return db.transaction(c -> {
            List<RoundRecord> found = rounds(c, loop, round);
            if (found.isEmpty()) {
                throw new IllegalArgumentException("GACHAMAX loop '" + loop + "' has no round " + round);
            }
            RoundRecord r = found.get(0);
            if (r.status() != RoundStatus.AWAITING_PICKS) {
                throw new IllegalStateException("GACHAMAX loop '" + loop + "': round " + round + " does not await picks "
                        + "(it is " + r.status().key() + ")");
            }
            Set<Long> ids = new HashSet<>();
            candidates(c, loop, round).forEach(k -> ids.add(k.id()));
            for (Long id : picks.candidates()) {
                if (!ids.contains(id)) {
                    throw new IllegalArgumentException("GACHAMAX loop '" + loop + "': candidate " + id
                            + " is not one of round " + round + "'s candidates " + ids);
                }
            }
            List<String> images = datasetVersion(c, loop, r.datasetVersion()).map(DatasetVersionRecord::images)
                    .orElse(List.of());
            for (String drop : picks.drops()) {
                if (!images.contains(drop)) {
                    throw new IllegalArgumentException("GACHAMAX loop '" + loop + "': cannot drop '" + drop
                            + "': dataset version " + r.datasetVersion() + " holds " + images);
                }
            }
            for (Long id : picks.candidates()) {
                SqliteDatabase.update(c, "UPDATE gachamax_candidates SET picked = 1, caption = COALESCE(?, prompt) "
                        + "WHERE id = ?", picks.captions().get(id), id);
            }
            RoundRecord picked = r.picked(picks.drops());
            SqliteDatabase.update(c, "UPDATE gachamax_rounds SET status = ?, drops = ? WHERE loop = ? AND round = ?",
                    picked.status().key(), Json.write(picked.drops()), loop, round);
            return picked;
        });
    }

    private static Double nullableDouble(ResultSet r, int column) throws SQLException {
        double value = r.getDouble(column);
        return r.wasNull() ? null : value;
    }

    private static List<String> strings(String json) {
        try {
            return Json.MAPPER.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new StoreException("gachamax: a stored list is not JSON: " + json, e);
        }
    }
}
