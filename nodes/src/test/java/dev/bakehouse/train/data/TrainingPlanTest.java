package dev.bakehouse.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingPlanTest {

    /** Walks kohya's loop: an update every gas-th batch and on the epoch's last batch; stop at max steps. */
    private static int[] walk(TrainingPlan p) {
        int global = 0;
        int lastUpdates = 0;
        int lastBatches = 0;
        for (int epoch = 0; epoch < p.numTrainEpochs(); epoch++) {
            lastUpdates = 0;
            lastBatches = 0;
            for (int b = 0; b < p.batchesPerEpoch() && global < p.maxTrainSteps(); b++) {
                lastBatches++;
                if ((b + 1) % p.gradientAccumulationSteps() == 0 || b == p.batchesPerEpoch() - 1) {
                    global++;
                    lastUpdates++;
                }
            }
        }
        return new int[] {global, lastUpdates, lastBatches};
    }

    @Test
    void compute_everyFixtureCase_matchesKohyaArithmetic() {
        for (JsonNode c : KohyaFixtures.read("steps.json").get("cases")) {
            String id = c.get("id").asText();
            JsonNode in = c.get("input");
            JsonNode ex = c.get("expected");
            List<Integer> counts = new ArrayList<>();
            in.get("bucket_counts").forEach(n -> counts.add(n.asInt()));
            int bs = in.get("train_batch_size").asInt();
            int gas = in.get("gradient_accumulation_steps").asInt();
            Integer epochs = KohyaFixtures.intOrNull(in.get("max_train_epochs"));
            Integer steps = KohyaFixtures.intOrNull(in.get("max_train_steps"));
            if (ex.has("error")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> TrainingPlan.compute(counts, 0, 0, bs, gas, epochs, steps), id);
                assertTrue(e.getMessage().startsWith(ex.get("error").asText()), id);
                continue;
            }
            TrainingPlan p = TrainingPlan.compute(counts, 0, 0, bs, gas, epochs, steps);
            assertEquals(ex.get("batches_per_epoch").asInt(), p.batchesPerEpoch(), id);
            assertEquals(ex.get("naive_batches_per_epoch").asInt(), p.naiveBatchesPerEpoch(), id);
            assertEquals(ex.get("samples_per_epoch").asInt(), p.samplesPerEpoch(), id);
            assertEquals(ex.get("updates_per_epoch").asInt(), p.updatesPerEpoch(), id);
            assertEquals(ex.get("max_train_steps").asInt(), p.maxTrainSteps(), id);
            assertEquals(ex.get("num_train_epochs").asInt(), p.numTrainEpochs(), id);
            assertEquals(ex.get("winner").asText(), p.winner().name().toLowerCase(), id);
            assertEquals(ex.get("last_epoch_updates").asInt(), p.lastEpochUpdates(), id);
            assertEquals(ex.get("last_epoch_batches").asInt(), p.lastEpochBatches(), id);
            assertEquals(ex.get("total_batch_size").asInt(), p.totalBatchSize(), id);
            int[] walked = walk(p);
            assertEquals(p.maxTrainSteps(), walked[0], id);
            assertEquals(p.lastEpochUpdates(), walked[1], id);
            assertEquals(p.lastEpochBatches(), walked[2], id);
        }
    }

    @Test
    void planLine_saysStepsEpochsAndWhichLimitWon() {
        TrainingPlan p = TrainingPlan.compute(List.of(200), 200, 0, 1, 1, null, null);
        assertEquals("200 images x repeats (+0 reg) / batch 1 x accumulation 1 = 200 batches, 200 steps per epoch;"
                + " 8 epochs, 1600 total steps (limit: default max_train_steps (1600))", p.planLine());
    }

    @Test
    void compute_zeroBatchSize_namesTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingPlan.compute(List.of(4), 4, 0, 0, 1, null, null));
        assertTrue(e.getMessage().startsWith("train_batch_size"), e.getMessage());
    }
}
