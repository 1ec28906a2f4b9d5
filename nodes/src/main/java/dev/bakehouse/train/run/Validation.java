package dev.bakehouse.train.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bakehouse.lora.network.TrainableLoraNetwork;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.train.config.DatasetOptions;
import dev.bakehouse.train.data.DreamBoothDataset;
import dev.bakehouse.train.data.EpochIterator;
import dev.bakehouse.train.log.LossRecorder;
import dev.bakehouse.train.loss.TrainingLoss;
import dev.bakehouse.train.noise.DdpmSchedule;
import dev.bakehouse.train.noise.NoiseOptions;
import dev.bakehouse.train.noise.SeededDraws;
import dev.bakehouse.train.noise.TrainingNoise;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * kohya's validation in {@code train_network.py}: the loss of the held-out images ({@code
 * validation_split}) with the network in eval mode and no gradients, each batch at the fixed
 * timesteps {@code linspace(min_timestep, max_timestep, 6, dtype=int)[1:-1]} (200, 400, 600, 800 by
 * default) with noise from the validation seed. It runs after every {@code validate_every_n_steps}-th
 * step and at the end of every {@code validate_every_n_epochs}-th epoch (every epoch by default),
 * over at most {@code max_validation_steps} batches.
 *
 * <p>Every draw (batch order, augmentation, VAE sample, caption processing, noise) is seeded by
 * {@code validation_seed} (else {@code seed}) and the batch's position, never by the training step,
 * so the same weights give the same validation loss in every pass: "which epoch is best?" has a number.
 */
final class Validation {
    /** kohya's {@code NUM_VALIDATION_TIMESTEPS}. */
    static final int NUM_VALIDATION_TIMESTEPS = 4;

    /** What one validation reports. */
    record Result(double loss, double runningAverage) {}

    /**
     * kohya's validation options, checked.
     *
     * @param everyNSteps  {@code validate_every_n_steps}, or null for none
     * @param everyNEpochs {@code validate_every_n_epochs}, or null for every epoch
     * @param maxSteps     {@code max_validation_steps}, or null for every batch
     */
    record Schedule(Integer everyNSteps, Integer everyNEpochs, Integer maxSteps) {
        Schedule {
            positive("--validate_every_n_steps", everyNSteps);
            positive("--validate_every_n_epochs", everyNEpochs);
            if (maxSteps != null && maxSteps < 0) {
                throw new IllegalArgumentException("--max_validation_steps: expected 0 or more, found " + maxSteps);
            }
        }

        static Schedule of(DatasetOptions d) {
            return new Schedule(d.validateEveryNSteps(), d.validateEveryNEpochs(), d.maxValidationSteps());
        }

        /** kohya validates when {@code global_step % validate_every_n_steps == 0} (after the increment). */
        boolean atStep(long globalStep) {
            return everyNSteps != null && globalStep % everyNSteps == 0;
        }

        /** At the end of the 1-based {@code epoch}. */
        boolean atEpochEnd(int epoch) {
            return everyNEpochs == null || epoch % everyNEpochs == 0;
        }

        private static void positive(String flag, Integer value) {
            if (value != null && value < 1) {
                throw new IllegalArgumentException(flag + ": expected a positive number of steps/epochs, found " + value);
            }
        }
    }

    private final TrainingSetup setup;
    private final StableDiffusion model;
    private final DdpmSchedule schedule;
    private final Schedule when;
    private final StepSeeds seeds;
    private final BatchInputs inputs;
    private final List<EpochIterator.Batch> batches;
    private final long[] timesteps;
    private final LossRecorder stepRecorder = new LossRecorder();

    /** @param latentCacheDir where {@code cache_latents_to_disk} keeps latents */
    Validation(TrainingSetup setup, StableDiffusion model, ClipTokenizer tokenizer, DdpmSchedule schedule,
               Path latentCacheDir, String vaeIdentity) {
        long seed = setup.validationSplit().seed();
        this.setup = setup;
        this.model = model;
        this.schedule = schedule;
        this.when = Schedule.of(setup.args().dataset());
        this.seeds = new StepSeeds(seed);
        DreamBoothDataset held = setup.validationDataset();
        var d = setup.args().dataset();
        this.inputs = held == null ? null : new BatchInputs(model, tokenizer, held, setup.text(),
                d.cacheLatents() || d.cacheLatentsToDisk(), d.cacheLatentsToDisk() ? latentCacheDir : null, vaeIdentity,
                seeds).cachingTextEncoderOutputs(!setup.trainsTextEncoder()
                && (d.cacheTextEncoderOutputs() || d.cacheTextEncoderOutputsToDisk()));
        List<EpochIterator.Batch> all = held == null ? List.of()
                : new EpochIterator(held, setup.trainBatchSize(), seed, 1f).epoch(1);
        int count = when.maxSteps() == null ? all.size() : Math.min(when.maxSteps(), all.size());
        this.batches = all.subList(0, count);
        this.timesteps = timesteps(setup.noise(), schedule);
    }

    /** Whether there is anything to validate on (kohya's {@code validation_steps > 0}). */
    boolean enabled() {
        return !batches.isEmpty();
    }

    /** Batches per validation: {@code min(max_validation_steps, len(val_dataloader))}. */
    int batchesPerPass() {
        return batches.size();
    }

    long[] timesteps() {
        return timesteps.clone();
    }

    /** The batches of every pass, in order. */
    List<EpochIterator.Batch> batches() {
        return batches;
    }

    /** What the held-out batches are read through (latents, captions, context). */
    BatchInputs inputs() {
        return inputs;
    }

    /** Encodes the held-out latents before step 1 when caching, as kohya caches the validation set too. */
    int precacheLatents() {
        return inputs == null ? 0 : inputs.precacheLatents();
    }

    /** The line printed with the plan. */
    String planLine() {
        return "validation: " + setup.validationDataset().numTrainImages() + " held-out images, " + batches.size()
                + " batches x " + timesteps.length + " timesteps " + java.util.Arrays.toString(timesteps) + " per pass"
                + (when.everyNSteps() == null ? "" : ", every " + when.everyNSteps() + " steps")
                + (when.everyNEpochs() == null ? ", every epoch" : ", every " + when.everyNEpochs() + " epochs");
    }

    /**
     * The validation due after an optimizer step, or null when none is.
     *
     * @param runEpoch   0-based epoch counted from the start of this process (kohya's recorder key)
     * @param epoch      1-based epoch of the step
     * @param epochEnds  whether this step is the last of its epoch (end of data or of the run)
     */
    Result afterStep(TrainableLoraNetwork network, long globalStep, int runEpoch, int epoch, boolean epochEnds) {
        if (!enabled()) {
            return null;
        }
        boolean atStep = when.atStep(globalStep);
        boolean atEpoch = epochEnds && when.atEpochEnd(epoch);
        if (!atStep && !atEpoch) {
            return null;
        }
        double[] losses = losses(network);
        double mean = 0;
        for (int i = 0; i < losses.length; i++) {
            mean += losses[i];
            if (atStep) {
                stepRecorder.add(runEpoch, i, losses[i]);
            }
        }
        mean /= losses.length;
        // kohya's step recorder keys passes by position, so in the first epoch it averages every
        // pass so far; its epoch recorder always holds exactly the last pass (= the mean)
        return new Result(mean, atStep ? stepRecorder.movingAverage() : mean);
    }

    /**
     * The loss of every (batch, timestep) of one pass, in kohya's order: batch-major, then the
     * timesteps ascending. Each is the batch mean of the training loss (loss_type, min_snr_gamma,
     * v-prediction, … as configured).
     */
    double[] losses(TrainableLoraNetwork network) {
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        network.setTraining(false, null);
        double[] out = new double[batches.size() * timesteps.length];
        for (int b = 0; b < batches.size(); b++) {
            EpochIterator.Batch batch = batches.get(b);
            try (NDManager batchScope = model.manager().newSubManager()) {
                NDArray latents = inputs.latents(batch, batchScope, b);
                List<String> captions = captions(b);
                NDArray context = inputs.context(captions, batchScope);
                double[] lossWeights = new double[batch.samples().size()];
                java.util.Arrays.fill(lossWeights, 1.0);
                for (int t = 0; t < timesteps.length; t++) {
                    int at = b * timesteps.length + t;
                    out[at] = loss(latents, context, lossWeights, timesteps[t], at, batchScope);
                }
            }
        }
        return out;
    }

    /**
     * The processed captions of held-out batch {@code b}: as in the first epoch of a run whose token
     * warm-up is over, with the batch's own seed, so every pass sees the same text.
     */
    List<String> captions(int b) {
        int maxSteps = setup.plan().maxTrainSteps();
        return inputs.captions(batches.get(b), 0, maxSteps, maxSteps, b);
    }

    private double loss(NDArray latents, NDArray context, double[] lossWeights, long timestep, int position,
                        NDManager batchScope) {
        try (NDManager step = batchScope.newSubManager()) {
            NoiseOptions fixed = setup.noise().withTimesteps(OptionalInt.of((int) timestep), OptionalInt.of((int) timestep));
            NDArray x0 = latents.duplicate();
            x0.attach(step); // noise and noisy latents join the manager of the latents
            TrainingNoise.NoisyBatch noisy = TrainingNoise.sample(x0, fixed, schedule,
                    new SeededDraws(seeds.of(StepSeeds.Purpose.VALIDATION_NOISE, position)));
            float[] t = new float[noisy.timesteps().length];
            java.util.Arrays.fill(t, timestep);
            NDArray pred = model.unet().forward(noisy.noisyLatents(), OwnedArrays.of(step, t), context);
            pred.attach(step);
            NDArray target = setup.loss().vParameterization()
                    ? schedule.velocity(x0, noisy.noise(), noisy.timesteps()) : noisy.noise();
            TrainingLoss.Result loss = TrainingLoss.compute(pred, target, noisy.timesteps(), lossWeights, setup.loss(),
                    schedule);
            return loss.loss().getFloat();
        }
    }

    /**
     * kohya's {@code np.linspace(min_timestep, max_timestep, NUM_VALIDATION_TIMESTEPS + 2, dtype=int)[1:-1]}
     * with {@code min_timestep} 0 and {@code max_timestep} the schedule's 1000 by default: numpy's
     * {@code start + i * step}, truncated to int.
     */
    static long[] timesteps(NoiseOptions noise, DdpmSchedule schedule) {
        int min = noise.minTimestep().orElse(0);
        int max = noise.maxTimestep().orElse(schedule.numTrainTimesteps());
        double step = (max - min) / (double) (NUM_VALIDATION_TIMESTEPS + 1);
        long[] out = new long[NUM_VALIDATION_TIMESTEPS];
        for (int i = 1; i <= NUM_VALIDATION_TIMESTEPS; i++) {
            out[i - 1] = (long) (i * step + min);
        }
        return out;
    }
}
