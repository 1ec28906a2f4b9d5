package dev.bakehouse.node;

/**
 * Thrown by {@link NodeContext#checkInterrupted()} and {@link NodeContext#progress} once an
 * interrupt was requested; the prompt then ends with {@code execution_interrupted}. Unchecked so
 * that progress callbacks can be passed into model code that knows nothing of nodes.
 */
public final class ExecutionInterruptedException extends RuntimeException {
    public ExecutionInterruptedException() {
        super("Processing interrupted");
    }
}
