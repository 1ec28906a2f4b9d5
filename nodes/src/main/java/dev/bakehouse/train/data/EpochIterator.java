package dev.bakehouse.train.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The batches of each epoch as kohya's {@code BaseDataset} forms them: every registered image
 * appears {@code num_repeats} times in its bucket, each bucket is shuffled and cut into batches
 * of {@code train_batch_size} (the last one of a bucket may be short; batches never mix
 * buckets), and the batch order is shuffled. Unlike kohya, whose shuffles accumulate from epoch
 * to epoch, an epoch's order is a pure function of (seed, epoch) — so a run resumed at
 * (epoch, step) sees exactly the batches the uninterrupted run would have seen.
 */
public final class EpochIterator {
    /** One sample: an image and which of its repeats this is. */
    public record Sample(ImageEntry image, int repeat) {}

    /**
     * One batch: its bucket, samples and kohya's per-sample loss weights ({@code prior_loss_weight}
     * for reg images, 1 otherwise).
     */
    public record Batch(int epoch, int step, Size bucket, List<Sample> samples, float[] lossWeights) {}

    private final List<Size> bucketOrder;
    private final List<List<Sample>> bucketSamples;
    private final int batchSize;
    private final long seed;
    private final float priorLossWeight;

    public EpochIterator(DreamBoothDataset dataset, int trainBatchSize, long seed, float priorLossWeight) {
        if (trainBatchSize < 1) {
            throw new IllegalArgumentException("train_batch_size: expected a positive number, found " + trainBatchSize);
        }
        this.batchSize = trainBatchSize;
        this.seed = seed;
        this.priorLossWeight = priorLossWeight;
        this.bucketOrder = new ArrayList<>(dataset.bucketCounts().keySet());
        this.bucketSamples = new ArrayList<>();
        for (Size ignored : bucketOrder) {
            bucketSamples.add(new ArrayList<>());
        }
        for (ImageEntry e : dataset.registered()) {
            List<Sample> bucket = bucketSamples.get(bucketOrder.indexOf(e.bucket().bucket()));
            for (int r = 0; r < e.numRepeats(); r++) {
                bucket.add(new Sample(e, r));
            }
        }
    }

    /** Batches per epoch: Σ ceil(bucket size / batch). */
    public int batchesPerEpoch() {
        int n = 0;
        for (List<Sample> b : bucketSamples) {
            n += (b.size() + batchSize - 1) / batchSize;
        }
        return n;
    }

    /** Every batch of {@code epoch} (1-based as kohya counts), in training order. */
    public List<Batch> epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /** The batches of {@code epoch} from batch index {@code fromStep} on: where a resumed run continues. */
    public List<Batch> epoch(int epoch, int fromStep) {
        Random rnd = new Random(new SplittableRandom(seed).split().nextLong() ^ (0x9E3779B97F4A7C15L * epoch));
        List<Batch> batches = new ArrayList<>();
        List<int[]> index = new ArrayList<>();
        List<List<Sample>> shuffled = new ArrayList<>();
        for (int b = 0; b < bucketSamples.size(); b++) {
            List<Sample> copy = new ArrayList<>(bucketSamples.get(b));
            Collections.shuffle(copy, rnd);
            shuffled.add(copy);
            for (int start = 0; start < copy.size(); start += batchSize) {
                index.add(new int[] {b, start});
            }
        }
        Collections.shuffle(index, rnd);
        for (int step = fromStep; step < index.size(); step++) {
            int[] at = index.get(step);
            List<Sample> bucket = shuffled.get(at[0]);
            List<Sample> samples = List.copyOf(bucket.subList(at[1], Math.min(bucket.size(), at[1] + batchSize)));
            float[] weights = new float[samples.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = samples.get(i).image().isReg() ? priorLossWeight : 1f;
            }
            batches.add(new Batch(epoch, step, bucketOrder.get(at[0]), samples, weights));
        }
        return batches;
    }

    /** The captions of a batch through each image's subset options. */
    public static List<String> captions(DreamBoothDataset dataset, Batch batch, CaptionProcessor.Context ctx,
            CaptionRandom rnd) {
        List<String> out = new ArrayList<>();
        for (Sample s : batch.samples()) {
            CaptionOptions o = dataset.subsets().get(s.image().subsetIndex()).subset().captions();
            out.add(CaptionProcessor.process(o, s.image().caption(), ctx, rnd));
        }
        return out;
    }
}
