package dev.bakehouse.train.data;

import java.util.List;

/**
 * kohya's step arithmetic ({@code train_network.py}): batches per epoch counted per bucket, the
 * 1600-step default, {@code --max_train_epochs} overriding {@code --max_train_steps}, and how the
 * last epoch is cut short. One process (no multi-GPU).
 *
 * @param numTrainImages train images × repeats ({@code ss_num_train_images})
 * @param numRegImages reg images × repeats before balancing ({@code ss_num_reg_images})
 * @param batchesPerEpoch {@code len(train_dataloader)}: Σ ceil(bucket count / batch size)
 * @param samplesPerEpoch Σ bucket counts (repeats and balanced reg images included)
 * @param updatesPerEpoch optimizer steps per full epoch: ceil(batches / accumulation)
 * @param maxTrainSteps total optimizer steps (the run always does exactly this many)
 * @param numTrainEpochs epochs started: ceil(maxTrainSteps / updatesPerEpoch)
 * @param lastEpochUpdates optimizer steps in the last (maybe partial) epoch
 * @param lastEpochBatches batches read in the last epoch
 */
public record TrainingPlan(
        int numTrainImages,
        int numRegImages,
        int trainBatchSize,
        int gradientAccumulationSteps,
        int batchesPerEpoch,
        int samplesPerEpoch,
        int updatesPerEpoch,
        int maxTrainSteps,
        int numTrainEpochs,
        Limit winner,
        int lastEpochUpdates,
        int lastEpochBatches) {

    /** kohya's {@code --max_train_steps} default. */
    public static final int DEFAULT_MAX_TRAIN_STEPS = 1600;

    /** Which option decided the length of the run. */
    public enum Limit {
        MAX_TRAIN_EPOCHS("max_train_epochs"),
        MAX_TRAIN_STEPS("max_train_steps"),
        DEFAULT_MAX_TRAIN_STEPS("default max_train_steps (1600)");

        public final String label;

        Limit(String label) {
            this.label = label;
        }
    }

    /**
     * The plan for these bucket counts.
     *
     * @param maxTrainEpochs {@code --max_train_epochs} or null; wins over maxTrainSteps when given
     * @param maxTrainSteps {@code --max_train_steps} or null (then 1600)
     * @throws IllegalArgumentException "No data found" when there is nothing to train on, or a
     *     non-positive option (named)
     */
    public static TrainingPlan compute(List<Integer> bucketCounts, int numTrainImages, int numRegImages,
            int trainBatchSize, int gradientAccumulationSteps, Integer maxTrainEpochs, Integer maxTrainSteps) {
        positive("train_batch_size", trainBatchSize);
        positive("gradient_accumulation_steps", gradientAccumulationSteps);
        if (maxTrainEpochs != null) {
            positive("max_train_epochs", maxTrainEpochs);
        }
        if (maxTrainSteps != null) {
            positive("max_train_steps", maxTrainSteps);
        }
        int batches = 0;
        int samples = 0;
        for (int count : bucketCounts) {
            batches += (count + trainBatchSize - 1) / trainBatchSize;
            samples += count;
        }
        if (batches == 0) {
            throw new IllegalArgumentException("No data found. Please verify arguments (train_data_dir must be the parent"
                    + " of folders with images)");
        }
        int steps;
        Limit winner;
        if (maxTrainEpochs != null) {
            // kohya divides in float: ceil(batches / num_processes / gas)
            steps = maxTrainEpochs * (int) Math.ceil((double) batches / 1 / gradientAccumulationSteps);
            winner = Limit.MAX_TRAIN_EPOCHS;
        } else if (maxTrainSteps != null) {
            steps = maxTrainSteps;
            winner = Limit.MAX_TRAIN_STEPS;
        } else {
            steps = DEFAULT_MAX_TRAIN_STEPS;
            winner = Limit.DEFAULT_MAX_TRAIN_STEPS;
        }
        int updates = (int) Math.ceil((double) batches / gradientAccumulationSteps);
        int epochs = (int) Math.ceil((double) steps / updates);
        int doneBeforeLast = (epochs - 1) * updates;
        int lastUpdates = steps - doneBeforeLast;
        int lastBatches = Math.min(batches, lastUpdates * gradientAccumulationSteps);
        return new TrainingPlan(numTrainImages, numRegImages, trainBatchSize, gradientAccumulationSteps, batches,
                samples, updates, steps, epochs, winner, lastUpdates, lastBatches);
    }

    /** {@code ceil(samples / batch)}: what a loader that mixed buckets would need. */
    public int naiveBatchesPerEpoch() {
        return (samplesPerEpoch + trainBatchSize - 1) / trainBatchSize;
    }

    /** {@code ss_total_batch_size}: batch × processes × accumulation. */
    public int totalBatchSize() {
        return trainBatchSize * gradientAccumulationSteps;
    }

    /** The line printed before step 1, in the terms kohya users know. */
    public String planLine() {
        return String.format(
                "%d images x repeats (+%d reg) / batch %d x accumulation %d = %d batches, %d steps per epoch; "
                        + "%d epochs, %d total steps (limit: %s%s)",
                numTrainImages, numRegImages, trainBatchSize, gradientAccumulationSteps, batchesPerEpoch,
                updatesPerEpoch, numTrainEpochs, maxTrainSteps, winner.label,
                lastEpochUpdates < updatesPerEpoch ? "; last epoch " + lastEpochUpdates + " steps" : "");
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + ": expected a positive number, found " + value);
        }
    }
}
