package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * Constant arrays a model needs on every forward (unit scales for the group norm, the causal
 * mask), created once per size in the model's manager rather than per step.
 */
public final class Constants {
    private final NDManager manager;
    private final Map<Long, NDArray> ones = new HashMap<>();
    private final Map<Long, NDArray> zeros = new HashMap<>();
    private final Map<Integer, NDArray> causalMasks = new HashMap<>();

    public Constants(NDManager manager) {
        this.manager = manager;
    }

    public synchronized NDArray ones(long n) {
        return ones.computeIfAbsent(n, k -> manager.ones(new Shape(k)));
    }

    public synchronized NDArray zeros(long n) {
        return zeros.computeIfAbsent(n, k -> manager.zeros(new Shape(k)));
    }

    /** (L, L) additive mask: 0 where key j <= query i, -inf above the diagonal. */
    public synchronized NDArray causalMask(int length) {
        return causalMasks.computeIfAbsent(length, l -> {
            float[] m = new float[l * l];
            for (int i = 0; i < l; i++) {
                for (int j = i + 1; j < l; j++) {
                    m[i * l + j] = Float.NEGATIVE_INFINITY;
                }
            }
            return manager.create(m, new Shape(l, l));
        });
    }
}
