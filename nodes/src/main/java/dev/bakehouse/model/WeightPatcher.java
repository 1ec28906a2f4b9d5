package dev.bakehouse.model;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.model.nn.Param;
import dev.bakehouse.model.nn.ParamStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Adds deltas to a model's weights by checkpoint key and puts the originals back. The first patch
 * of a key keeps the original array itself as the backup (patched values are new arrays; nothing
 * is changed in place), so {@link #restore()} returns bit-identical weights and never subtracts.
 * Several patches of one key accumulate. Not thread-safe: one owner patches, runs and restores.
 */
public final class WeightPatcher implements AutoCloseable {
    private final ParamStore params;
    private final Map<String, NDArray> backups = new LinkedHashMap<>();

    public WeightPatcher(ParamStore params) {
        this.params = params;
    }

    /** W <- W + delta (delta must have W's shape; it stays the caller's). */
    public void addDelta(String key, NDArray delta) {
        Param p = params.get(key);
        if (!delta.getShape().equals(p.shape())) {
            throw new IllegalArgumentException("patch of " + key + ": expected shape " + p.shape() + ", found " + delta.getShape());
        }
        NDArray current = p.value();
        NDArray patched = current.add(delta); // joins the model's manager, like the weight
        backups.putIfAbsent(key, current);
        p.set(patched);
        if (current != backups.get(key)) {
            current.close();
        }
    }

    public Set<String> patchedKeys() {
        return Collections.unmodifiableSet(backups.keySet());
    }

    /** Puts every original array back and frees the patched ones. */
    public void restore() {
        for (var e : backups.entrySet()) {
            NDArray patched = params.get(e.getKey()).set(e.getValue());
            patched.close();
        }
        backups.clear();
    }

    @Override
    public void close() {
        restore();
    }
}
