package dev.bakehouse.node.gachamax;

import java.util.List;
import java.util.Optional;

/**
 * Where GACHAMAX loops keep their rounds, dataset versions, candidates and picks, so a loop
 * survives a server restart with its round and step counters. The server keeps them in its
 * SQLite database; every method is one transaction.
 */
public interface GachamaxStore {

    Optional<LoopRecord> loop(String name);

    /** Every loop, oldest first. */
    List<LoopRecord> loops();

    /** Creates the loop; an existing loop of that name is left as it is and returned. */
    LoopRecord createLoop(LoopRecord loop);

    /** The loop's rounds, round 1 first. */
    List<RoundRecord> rounds(String loop);

    /** Inserts or replaces the round (key: loop and round number). */
    void putRound(RoundRecord round);

    Optional<DatasetVersionRecord> datasetVersion(String loop, int version);

    /** Inserts or replaces the version (key: loop and version number). */
    void putDatasetVersion(DatasetVersionRecord version);

    /**
     * Replaces the round's candidates with these; ids are assigned here (the ids of the records
     * passed in are ignored) and returned in the records, in the order given.
     */
    List<CandidateRecord> putCandidates(String loop, int round, List<CandidateRecord> candidates);

    /** The round's candidates by index. */
    List<CandidateRecord> candidates(String loop, int round);

    /**
     * Records a round's picks in one transaction: marks the picked candidates (with their
     * captions), stores the drops and sets the round {@link RoundStatus#PICKED}.
     *
     * @throws IllegalStateException    if the round does not await picks
     * @throws IllegalArgumentException if a candidate id is not one of the round's
     */
    RoundRecord pick(String loop, int round, PickRequest picks);
}
