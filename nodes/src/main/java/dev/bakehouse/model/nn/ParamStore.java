package dev.bakehouse.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.CheckpointMismatchException;
import dev.bakehouse.model.WeightSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights a model declares, by checkpoint key, in declaration order. Layers declare what they
 * own while the architecture is built from its config; {@link #load} then checks the whole
 * declaration against a checkpoint before reading anything, so one error lists every problem.
 */
public final class ParamStore {
    private final NDManager manager;
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final Map<String, AdaptableLayer> adaptable = new LinkedHashMap<>();

    /** @param manager the model's long-lived manager: weights and caches derived from them live here */
    public ParamStore(NDManager manager) {
        this.manager = manager;
    }

    public NDManager manager() {
        return manager;
    }

    /** Declares a weight; each key may be declared once. */
    public Param declare(String key, long... shape) {
        Param p = new Param(key, new Shape(shape));
        if (params.putIfAbsent(key, p) != null) {
            throw new IllegalStateException("weight declared twice: " + key);
        }
        return p;
    }

    /** Called by layers that accept a {@link LayerAdapter}, once their weight is declared. */
    void registerAdaptable(AdaptableLayer layer) {
        adaptable.put(layer.weight().key(), layer);
    }

    /** The Linear/Conv2d layer whose weight has this checkpoint key, if it accepts adapters. */
    public java.util.Optional<AdaptableLayer> adaptable(String weightKey) {
        return java.util.Optional.ofNullable(adaptable.get(weightKey));
    }

    public Param get(String key) {
        Param p = params.get(key);
        if (p == null) {
            throw new IllegalArgumentException("no weight named " + key);
        }
        return p;
    }

    public boolean contains(String key) {
        return params.containsKey(key);
    }

    public Map<String, Param> params() {
        return Collections.unmodifiableMap(params);
    }

    /** Total number of scalar weights declared. */
    public long parameterCount() {
        return params.values().stream().mapToLong(p -> p.shape().size()).sum();
    }

    /**
     * Checks every declared key against the source (present, same shape) and only then reads the
     * values, widened to float32, onto the manager's device.
     *
     * @throws CheckpointMismatchException naming every missing or mis-shaped key
     */
    public void load(WeightSource source) {
        List<CheckpointMismatchException.Problem> problems = new ArrayList<>();
        var names = source.names();
        for (Param p : params.values()) {
            if (!names.contains(p.key())) {
                problems.add(CheckpointMismatchException.Problem.missing(p.key(), p.shape().getShape()));
                continue;
            }
            long[] found = source.shape(p.key());
            if (!Arrays.equals(found, p.shape().getShape())) {
                problems.add(CheckpointMismatchException.Problem.misShaped(p.key(), p.shape().getShape(), found));
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointMismatchException(source.description(), problems);
        }
        // One direct staging buffer for every weight: the source writes the values into it, DJL
        // wraps it without copying and libtorch copies it into memory it owns. Per-weight float[]
        // and direct buffers (create(float[]) allocates and zeroes one each time, freed only by the
        // garbage collector) would pass the whole checkpoint through the heap and direct memory
        // twice more, as RSS and page faults.
        long largest = params.values().stream().mapToLong(p -> p.shape().size()).max().orElse(0);
        ByteBuffer staging = ByteBuffer.allocateDirect(Math.toIntExact(Math.max(1, largest) * Float.BYTES))
                .order(ByteOrder.nativeOrder());
        for (Param p : params.values()) {
            int bytes = Math.toIntExact(p.shape().size() * Float.BYTES);
            ByteBuffer values = staging.clear().slice(0, bytes).order(ByteOrder.nativeOrder());
            source.readFloats(p.key(), values);
            NDArray array;
            try (NDArray wrapped = manager.create(values.flip(), p.shape(), DataType.FLOAT32)) {
                array = wrapped.duplicate();
            }
            NDArray old = p.set(array);
            if (old != null) {
                old.close();
            }
        }
    }
}
