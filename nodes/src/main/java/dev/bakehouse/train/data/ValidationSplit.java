package dev.bakehouse.train.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.commons.math3.random.MersenneTwister;

/**
 * kohya's {@code validation_split} ({@code split_train_val} in {@code library/train_util.py}): the
 * images of each non-reg subset, in glob order, are shuffled by Python's {@code random.shuffle}
 * seeded with {@code validation_seed} (Bakehouse falls back to {@code seed}), and the first
 * {@code ceil(n * (1 - validation_split))} train. Reg subsets are never split: they all train and
 * none validates.
 *
 * <p>The validation side is the rest of the same permutation, so the two sides are disjoint.
 * kohya takes its last {@code round(n * split)} images instead, which overlaps the training side
 * by one image when rounding goes up (n = 3, split 0.5) and, without {@code validation_seed},
 * shuffles the two sides with two different draws of the global generator.
 *
 * @param fraction {@code validation_split}, in [0, 1]; 0 holds nothing out
 * @param seed     the shuffle's seed, as Python's {@code random.seed(int)} takes it
 */
public record ValidationSplit(double fraction, long seed) {

    public static final ValidationSplit NONE = new ValidationSplit(0, 0);

    /** Which side of the split a dataset is loaded as. */
    public enum Side {
        TRAINING, VALIDATION
    }

    public ValidationSplit {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("--validation_split: expected a number between 0.0 and 1.0, found "
                    + fraction);
        }
    }

    /** Whether any image is held out. */
    public boolean active() {
        return fraction > 0;
    }

    /**
     * The part of one subset's images on {@code side}, in kohya's shuffled order.
     *
     * @param images the subset's images in glob order
     * @param isReg  a reg subset trains whole and validates nothing
     */
    public <T> List<T> part(List<T> images, boolean isReg, Side side) {
        if (!active()) {
            return side == Side.TRAINING ? List.copyOf(images) : List.of();
        }
        if (isReg) {
            return side == Side.TRAINING ? List.copyOf(images) : List.of();
        }
        List<T> shuffled = new ArrayList<>(images);
        pythonShuffle(shuffled, seed);
        // the same double expression as kohya's math.ceil(len(paths) * (1 - validation_split))
        int trainCount = (int) Math.ceil(shuffled.size() * (1 - fraction));
        return side == Side.TRAINING ? List.copyOf(shuffled.subList(0, trainCount))
                : List.copyOf(shuffled.subList(trainCount, shuffled.size()));
    }

    /**
     * {@code random.seed(seed); random.shuffle(items)} as CPython does it: MT19937 seeded by
     * {@code init_by_array} with the 32-bit words of |seed| (least significant first), then
     * Fisher–Yates from the end with {@code _randbelow} drawing {@code getrandbits(k)} until below n.
     */
    static <T> void pythonShuffle(List<T> items, long seed) {
        MersenneTwister mt = new MersenneTwister(initKey(seed));
        for (int i = items.size() - 1; i > 0; i--) {
            Collections.swap(items, i, randBelow(mt, i + 1));
        }
    }

    private static int[] initKey(long seed) {
        long magnitude = Math.abs(seed); // CPython seeds with abs(n); Long.MIN_VALUE is not a valid kohya seed
        int low = (int) magnitude;
        int high = (int) (magnitude >>> 32);
        return high == 0 ? new int[] {low} : new int[] {low, high};
    }

    private static int randBelow(MersenneTwister mt, int n) {
        int k = 32 - Integer.numberOfLeadingZeros(n);
        int r = mt.nextInt() >>> (32 - k); // getrandbits(k): the top k bits of one tempered output
        while (r >= n) {
            r = mt.nextInt() >>> (32 - k);
        }
        return r;
    }
}
