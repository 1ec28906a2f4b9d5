package dev.bakehouse.train.data;

import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The random draws of caption processing, injectable so tests can fix them: Python's
 * {@code random.random()}, {@code random.shuffle} and {@code random.choice}.
 */
public interface CaptionRandom {
    /** A double in [0, 1). */
    double random();

    /** Shuffles in place. */
    void shuffle(List<String> tokens);

    /** An index in [0, n). */
    int choice(int n);

    /** A seeded source for training (not Python's Mersenne Twister stream). */
    static CaptionRandom seeded(long seed) {
        Random r = new Random(seed);
        return new CaptionRandom() {
            @Override
            public double random() {
                return r.nextDouble();
            }

            @Override
            public void shuffle(List<String> tokens) {
                Collections.shuffle(tokens, r);
            }

            @Override
            public int choice(int n) {
                return r.nextInt(n);
            }
        };
    }
}
