package dev.bakehouse.train.run;

/**
 * Every random draw of a run comes from a seed derived from ({@code seed}, a counter, a purpose),
 * never from a generator that carries state from step to step. A run resumed at step N therefore
 * draws exactly what the uninterrupted run drew at step N — bit-identical continuation needs only
 * the weights, the optimizer state and the counters, not a snapshot of generator states.
 */
final class StepSeeds {
    /** What a seed is for; each purpose gets independent streams. */
    enum Purpose {
        NOISE, DROPOUT, CAPTIONS, IMAGE_AUGMENTATION, VAE_SAMPLE, NETWORK_INIT, VALIDATION_NOISE, VALIDATION_SPLIT, SAMPLE
    }

    private final long seed;

    StepSeeds(long seed) {
        this.seed = seed;
    }

    long seed() {
        return seed;
    }

    /** The seed of one purpose at one counter (a micro-batch index, an epoch, …). */
    long of(Purpose purpose, long counter) {
        return mix(mix(seed ^ (0x9E3779B97F4A7C15L * (purpose.ordinal() + 1))) + counter);
    }

    /** SplitMix64's finaliser: nearby inputs give unrelated outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
