package dev.bakehouse.node.gachamax;

import java.util.List;
import java.util.Objects;

/**
 * One round of a loop.
 *
 * @param datasetVersion the dataset version it trained on (round r trains on version r)
 * @param loraFile       its LoRA (the lineage copy), relative to {@code models/loras}; null until trained
 * @param loraHash       the LoRA's {@code sshs_model_hash}; null until trained
 * @param parentHash     the previous round's {@code loraHash}; null in round 1
 * @param steps          optimizer steps this round trained
 * @param totalSteps     steps of every round up to and including this one
 * @param scores         the round's probe scores; null until measured
 * @param drops          images of its dataset version that the picks left out of the next one
 * @param finishedMillis when its candidates were out; null while training
 */
public record RoundRecord(String loop, int round, RoundStatus status, int datasetVersion, String loraFile, String loraHash,
                          String parentHash, long steps, long totalSteps, RoundScores scores, List<String> drops,
                          long startedMillis, Long finishedMillis) {
    public RoundRecord {
        Objects.requireNonNull(status, "status");
        drops = List.copyOf(drops);
        if (round < 1) {
            throw new IllegalArgumentException("round numbers start at 1, found " + round);
        }
    }

    /** A round that starts training on its dataset version. */
    public static RoundRecord started(String loop, int round, int datasetVersion, String parentHash, long stepsBefore,
                                      long startedMillis) {
        return new RoundRecord(loop, round, RoundStatus.TRAINING, datasetVersion, null, null, parentHash, 0, stepsBefore,
                null, List.of(), startedMillis, null);
    }

    public RoundRecord trained(String file, String hash, long trainedSteps) {
        return new RoundRecord(loop, round, status, datasetVersion, file, hash, parentHash, trainedSteps,
                totalSteps - steps + trainedSteps, scores, drops, startedMillis, finishedMillis);
    }

    public RoundRecord finished(RoundStatus newStatus, RoundScores newScores, long atMillis) {
        return new RoundRecord(loop, round, newStatus, datasetVersion, loraFile, loraHash, parentHash, steps, totalSteps,
                newScores, drops, startedMillis, atMillis);
    }

    public RoundRecord picked(List<String> newDrops) {
        return new RoundRecord(loop, round, RoundStatus.PICKED, datasetVersion, loraFile, loraHash, parentHash, steps,
                totalSteps, scores, newDrops, startedMillis, finishedMillis);
    }
}
