package dev.bakehouse.toy.world;

/** Which scenes a generator draws. */
public enum SceneKind {
    /** Held-in scenes only: never a star, never kiki (so LoRAs have something new to learn). */
    PRETRAINING,
    /** Kiki is in every image and its caption starts with the trigger word {@code kiki}. */
    KIKI,
    /** Any shape, stars and kiki included. */
    ANY
}
