package dev.bakehouse.toy.pretrain;

/**
 * Independent random streams of one pretraining run, each a pure function of (run seed, purpose,
 * step, index): a resumed run draws exactly what the uninterrupted run would have drawn.
 */
record PhaseSeeds(long seed) {
    enum Purpose { INIT, VAE_BATCH, VAE_IMAGES, VAE_SAMPLE, DATASET_IMAGES, BATCH, CAPTION_DROPOUT, NOISE }

    long of(Purpose purpose, long step) {
        return of(purpose, step, 0);
    }

    long of(Purpose purpose, long step, long index) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L * (purpose.ordinal() + 1));
        h = mix(h ^ step * 0xBF58476D1CE4E5B9L);
        return mix(h ^ index * 0x94D049BB133111EBL);
    }

    /** SplitMix64's finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
