package dev.bakehouse.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.node.gachamax.CandidateRecord;
import dev.bakehouse.node.gachamax.LoopRecord;
import dev.bakehouse.node.gachamax.PickRequest;
import dev.bakehouse.node.gachamax.RoundRecord;
import dev.bakehouse.node.gachamax.RoundScores;
import dev.bakehouse.node.gachamax.RoundStatus;
import dev.bakehouse.server.testing.GachamaxRounds;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteGachamaxStoreTest {
    @TempDir
    Path dir;

    @Test
    void gachamax_loopRoundsVersionsAndCandidates_surviveReopening() {
        Path file = dir.resolve("b.db");
        List<CandidateRecord> written;
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            written = GachamaxRounds.awaitingRoundOne(new SqliteGachamaxStore(db));
        }
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            SqliteGachamaxStore store = new SqliteGachamaxStore(db);
            assertEquals(List.of(new LoopRecord("kiki", "/data/one", 1000)), store.loops());
            RoundRecord round = store.rounds("kiki").get(0);
            assertEquals(RoundStatus.AWAITING_PICKS, round.status());
            assertEquals(12, round.steps());
            assertEquals(12, round.totalSteps());
            assertEquals("abc", round.loraHash());
            assertEquals(new RoundScores(0.8, 0.5, 0.25, 0.3), round.scores());
            assertEquals(3000L, round.finishedMillis());
            assertEquals(written, store.candidates("kiki", 1));
            assertEquals(List.of("1_kiki/a.png", "1_kiki/b.png"), store.datasetVersion("kiki", 1).orElseThrow().images());
            assertTrue(written.stream().allMatch(c -> c.id() > 0), "ids assigned");
        }
    }

    @Test
    void pick_marksCandidatesKeepsEditedCaptionsAndDrops() {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("b.db"))) {
            SqliteGachamaxStore store = new SqliteGachamaxStore(db);
            List<CandidateRecord> c = GachamaxRounds.awaitingRoundOne(store);

            RoundRecord picked = store.pick("kiki", 1, new PickRequest(List.of(c.get(0).id(), c.get(2).id()),
                    Map.of(c.get(2).id(), "kiki, green background, small, center, smiling"), List.of("1_kiki/b.png")));

            assertEquals(RoundStatus.PICKED, picked.status());
            assertEquals(picked, store.rounds("kiki").get(0));
            List<CandidateRecord> after = store.candidates("kiki", 1);
            assertEquals(List.of(true, false, true), after.stream().map(CandidateRecord::picked).toList());
            assertEquals(c.get(0).prompt(), after.get(0).caption());
            assertEquals("kiki, green background, small, center, smiling", after.get(2).caption());
            assertEquals(List.of("1_kiki/b.png"), store.rounds("kiki").get(0).drops());
        }
    }

    @Test
    void pick_badRequests_areRefusedAndChangeNothing() {
        try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("b.db"))) {
            SqliteGachamaxStore store = new SqliteGachamaxStore(db);
            List<CandidateRecord> c = GachamaxRounds.awaitingRoundOne(store);

            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> store.pick("kiki", 1, new PickRequest(List.of(c.get(0).id(), 9999L), Map.of(), List.of())));
            assertTrue(unknown.getMessage().contains("candidate 9999 is not one of round 1"), unknown.getMessage());
            IllegalArgumentException drop = assertThrows(IllegalArgumentException.class,
                    () -> store.pick("kiki", 1, new PickRequest(List.of(), Map.of(), List.of("1_kiki/zzz.png"))));
            assertTrue(drop.getMessage().contains("cannot drop '1_kiki/zzz.png'"), drop.getMessage());
            assertFalse(store.candidates("kiki", 1).stream().anyMatch(CandidateRecord::picked), "rolled back");

            store.pick("kiki", 1, new PickRequest(List.of(c.get(1).id()), Map.of(), List.of()));
            IllegalStateException twice = assertThrows(IllegalStateException.class,
                    () -> store.pick("kiki", 1, new PickRequest(List.of(c.get(0).id()), Map.of(), List.of())));
            assertTrue(twice.getMessage().contains("does not await picks (it is picked)"), twice.getMessage());
        }
    }
}
