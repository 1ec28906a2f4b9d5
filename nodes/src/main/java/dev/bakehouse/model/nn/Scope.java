package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.UnaryOperator;

/**
 * Runs one block's forward in a child manager so its intermediates are freed when the block ends,
 * not when the whole step ends (a 512x512 UNet step would otherwise hold every activation).
 * The input is attached to the child for the duration (so results of ops on it land there) and
 * goes back afterwards; only the result moves to the caller's manager.
 */
public final class Scope {
    private Scope() {}

    public static NDArray run(NDArray x, UnaryOperator<NDArray> body) {
        NDManager parent = x.getManager();
        try (NDManager child = parent.newSubManager()) {
            x.tempAttach(child);
            NDArray y = body.apply(x);
            y.attach(parent);
            return y;
        }
    }

    /**
     * Applies {@code step} to {@code h} and closes {@code h} afterwards, unless it is the caller's
     * {@code input}: lets a long chain of large activations (the VAE at 512x512) keep only one alive.
     */
    public static NDArray advance(NDArray h, NDArray input, UnaryOperator<NDArray> step) {
        NDArray next = step.apply(h);
        if (h != input && next != h) {
            h.close();
        }
        return next;
    }
}
