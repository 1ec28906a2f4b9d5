package dev.bakehouse.model.nn;

/**
 * What a forward consumes besides its inputs and weights (the random draws of a training-mode
 * dropout) and a recomputed segment must see again, so that the recomputation builds the very graph
 * the first pass computed. {@link CheckpointTape} marks the position before each segment and goes
 * back to it before recomputing that segment.
 */
public interface ReplayableState {
    /** The current position, for a later {@link #replayFrom}. */
    long position();

    /** Makes the next reads return what they returned after {@code position}, then continue fresh. */
    void replayFrom(long position);
}
