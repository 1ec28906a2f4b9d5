package dev.bakehouse.server.testing;

import dev.bakehouse.node.gachamax.CandidateRecord;
import dev.bakehouse.node.gachamax.DatasetVersionRecord;
import dev.bakehouse.node.gachamax.LoopRecord;
import dev.bakehouse.node.gachamax.RoundRecord;
import dev.bakehouse.node.gachamax.RoundScores;
import dev.bakehouse.node.gachamax.RoundStatus;
import dev.bakehouse.server.store.SqliteGachamaxStore;
import java.util.List;

/** GACHAMAX store contents for store and route tests. */
public final class GachamaxRounds {
    private GachamaxRounds() {}

    /** Loop "kiki" with round 1 awaiting picks over three candidates and a two-image dataset version 1. */
    public static List<CandidateRecord> awaitingRoundOne(SqliteGachamaxStore store) {
        store.createLoop(new LoopRecord("kiki", "/data/one", 1000));
        store.putDatasetVersion(new DatasetVersionRecord("kiki", 1, "/data/datasets/gachamax/kiki/v1", 0,
                List.of("1_kiki/a.png", "1_kiki/b.png"), List.of(), List.of()));
        store.putRound(RoundRecord.started("kiki", 1, 1, null, 0, 2000).trained("gachamax/kiki/kiki-r1.safetensors",
                "abc", 12).finished(RoundStatus.AWAITING_PICKS, new RoundScores(0.8, 0.5, 0.25, 0.3), 3000));
        return store.putCandidates("kiki", 1, List.of(candidate(0, "kiki, white background, large, top_left"),
                candidate(1, "kiki, blue background, large, middle_left"), candidate(2, "kiki, green background, small, center")));
    }

    private static CandidateRecord candidate(int index, String prompt) {
        return new CandidateRecord(0, "kiki", 1, index, prompt, 100_000 + index, "gachamax/kiki/r1/c0" + index + ".png",
                "hash" + index, 0.1 * index, false, null);
    }

}
