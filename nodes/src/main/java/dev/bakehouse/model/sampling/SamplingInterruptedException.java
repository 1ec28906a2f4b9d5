package dev.bakehouse.model.sampling;

/** The run's interrupt check said stop; thrown before the step it names. */
public final class SamplingInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int step;

    public SamplingInterruptedException(int step, int total) {
        super("sampling interrupted before step " + (step + 1) + " of " + total);
        this.step = step;
    }

    /** Steps completed before the interrupt. */
    public int completedSteps() {
        return step;
    }
}
