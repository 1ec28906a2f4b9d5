package dev.bakehouse.train.data;

/** What to do when the dataset report lists blocking problems. */
public enum BadInputPolicy {
    /** Report every problem, then refuse to train. */
    STOP,
    /** Report every problem, leave the unusable images out and train on the rest. */
    SKIP
}
