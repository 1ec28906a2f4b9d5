package dev.bakehouse.toy.pretrain;

import dev.bakehouse.model.nn.Param;
import dev.bakehouse.model.nn.ParamStore;
import dev.bakehouse.train.optim.TrainableParam;
import java.util.ArrayList;
import java.util.List;

/**
 * The weights of one model part (by checkpoint-key prefix) as optimizer parameters, trained in
 * place: the very arrays the layers read, with requires-grad switched on.
 *
 * <p>Layers keep arrays derived from their weights (fused q/k/v, norm scales reshaped to (C,1,1))
 * and recompute them only when a weight's {@link Param#version()} changes. The optimizer updates
 * weights in place, which changes no version, and a derived array made outside the gradient
 * collector carries no graph back to its weights. {@link #beforeForward} therefore re-sets every
 * weight (same array, new version) right before each training forward: the derived arrays are then
 * recomputed inside the collector, from the current values and connected to them.
 */
public final class TrainableWeights {
    private final List<Param> params;
    private final List<TrainableParam> trainable;

    private TrainableWeights(List<Param> params) {
        this.params = List.copyOf(params);
        this.trainable = params.stream().map(p -> new TrainableParam(p.key(), p.value())).toList();
    }

    /** Every weight whose key starts with one of {@code prefixes}, now requiring gradients. */
    public static TrainableWeights of(ParamStore store, String... prefixes) {
        List<Param> selected = new ArrayList<>();
        for (Param p : store.params().values()) {
            for (String prefix : prefixes) {
                if (p.key().startsWith(prefix)) {
                    selected.add(p);
                    break;
                }
            }
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("no weights start with " + List.of(prefixes));
        }
        selected.forEach(p -> p.value().setRequiresGradient(true));
        return new TrainableWeights(selected);
    }

    /** Only the parameters whose key starts with {@code prefix} (one optimizer group). */
    public List<TrainableParam> group(String prefix) {
        return trainable.stream().filter(t -> t.name().startsWith(prefix)).toList();
    }

    public List<TrainableParam> all() {
        return trainable;
    }

    public long count() {
        return params.stream().mapToLong(p -> p.shape().size()).sum();
    }

    /** Invalidates the layers' derived arrays; call inside the gradient collector, before the forward. */
    public void beforeForward() {
        for (Param p : params) {
            p.set(p.value());
        }
    }

    /** Back to frozen weights (a later phase reads them without building graphs). */
    public void freeze() {
        for (Param p : params) {
            p.value().setRequiresGradient(false);
            p.set(p.value());
        }
    }
}
