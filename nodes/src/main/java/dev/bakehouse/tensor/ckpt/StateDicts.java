package dev.bakehouse.tensor.ckpt;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.ckpt.PickleValues.StorageRef;
import dev.bakehouse.tensor.ckpt.PickleValues.TensorRef;
import dev.bakehouse.tensor.ckpt.PickleValues.Tuple;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Finds the state dict inside an unpickled checkpoint, the way AUTOMATIC1111 does. */
final class StateDicts {
    private StateDicts() {}

    /** The tensors by key, scalar entries as strings, and every storage referenced anywhere. */
    record Found(Map<String, TensorRef> tensors, Map<String, String> scalars, List<StorageRef> allStorages) {}

    private static final Map<String, DType> STORAGE_DTYPES = Map.ofEntries(
            Map.entry("DoubleStorage", DType.F64), Map.entry("FloatStorage", DType.F32),
            Map.entry("HalfStorage", DType.F16), Map.entry("BFloat16Storage", DType.BF16),
            Map.entry("LongStorage", DType.I64), Map.entry("IntStorage", DType.I32),
            Map.entry("ShortStorage", DType.I16), Map.entry("CharStorage", DType.I8),
            Map.entry("ByteStorage", DType.U8), Map.entry("BoolStorage", DType.BOOL),
            Map.entry("float64", DType.F64), Map.entry("float32", DType.F32), Map.entry("float16", DType.F16),
            Map.entry("bfloat16", DType.BF16), Map.entry("int64", DType.I64), Map.entry("int32", DType.I32),
            Map.entry("int16", DType.I16), Map.entry("int8", DType.I8), Map.entry("uint8", DType.U8),
            Map.entry("bool", DType.BOOL), Map.entry("float8_e4m3fn", DType.F8_E4M3),
            Map.entry("float8_e5m2", DType.F8_E5M2));

    static DType dtypeOf(Path file, String storageType) throws TensorFileException {
        DType d = storageType == null ? null : STORAGE_DTYPES.get(storageType);
        if (d == null) {
            throw new TensorFileException(file, null, "unknown storage type '" + storageType + "'");
        }
        return d;
    }

    /**
     * A top-level {@code state_dict} map replaces the root; a {@code state_dict} key inside it is
     * dropped (A1111 {@code get_state_dict_from_checkpoint}).
     */
    static Found extract(Path file, Object root) throws TensorFileException {
        Map<?, ?> top = rootDict(file, root);
        Map<String, String> scalars = new LinkedHashMap<>();
        addScalars(top, scalars);
        Map<?, ?> sd = top.get("state_dict") instanceof Map<?, ?> nested ? nested : top;
        if (sd != top) {
            addScalars(sd, scalars);
        }
        Map<String, TensorRef> tensors = new TreeMap<>();
        for (Map.Entry<?, ?> e : sd.entrySet()) {
            if (e.getKey() instanceof String key && !key.equals("state_dict") && e.getValue() instanceof TensorRef t) {
                tensors.put(key, t);
            }
        }
        return new Found(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(scalars), storagesIn(root));
    }

    /**
     * Every tensor reachable from the root through dicts with string keys, named by the key path
     * joined with '.' ({@code {"string_to_param": {"*": t}}} gives {@code string_to_param.*}), as
     * safetensors files name nested state (kohya's {@code bundle_emb.<name>.string_to_param.*}).
     * For small pickles that are not state dicts: textual-inversion embeddings. No
     * {@code state_dict} unwrapping; scalars are reported at the top level only.
     */
    static Found extractNested(Path file, Object root) throws TensorFileException {
        Map<?, ?> top = rootDict(file, root);
        Map<String, String> scalars = new LinkedHashMap<>();
        addScalars(top, scalars);
        Map<String, TensorRef> tensors = new TreeMap<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        addNested(top, "", tensors, seen);
        return new Found(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(scalars), storagesIn(root));
    }

    private static Map<?, ?> rootDict(Path file, Object root) throws TensorFileException {
        if (!(root instanceof Map<?, ?> top)) {
            throw new TensorFileException(file, null, "checkpoint root is not a dict (found "
                    + (root == null ? "None" : root.getClass().getSimpleName()) + ")");
        }
        return top;
    }

    private static void addNested(Map<?, ?> m, String prefix, Map<String, TensorRef> out, Set<Object> seen) {
        if (!seen.add(m)) {
            return; // a dict memoised twice (or a cycle) is walked once
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                continue;
            }
            if (e.getValue() instanceof TensorRef t) {
                out.put(prefix + key, t);
            } else if (e.getValue() instanceof Map<?, ?> nested) {
                addNested(nested, prefix + key + ".", out, seen);
            }
        }
    }

    static Map<String, StorageRef> storagesByKey(List<StorageRef> storages) {
        Map<String, StorageRef> m = new LinkedHashMap<>();
        for (StorageRef s : storages) {
            m.putIfAbsent(s.key(), s);
        }
        return m;
    }

    private static void addScalars(Map<?, ?> m, Map<String, String> out) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object v = e.getValue();
            if (e.getKey() instanceof String k && (v instanceof String || v instanceof Number || v instanceof Boolean)) {
                out.put(k, String.valueOf(v));
            }
        }
    }

    /** Every storage reference in the object graph (cycles and shared objects visited once). */
    private static List<StorageRef> storagesIn(Object root) {
        List<StorageRef> out = new ArrayList<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (o == null || !seen.add(o)) {
                continue;
            }
            if (o instanceof StorageRef s) {
                out.add(s);
            } else if (o instanceof TensorRef t) {
                out.add(t.storage());
            } else if (o instanceof Map<?, ?> m) {
                m.values().forEach(todo::push);
            } else if (o instanceof List<?> l) {
                l.forEach(todo::push);
            } else if (o instanceof Tuple t) {
                t.items().forEach(todo::push);
            } else if (o instanceof PickleValues.Inert i) {
                todo.push(i.args());
            }
        }
        return out;
    }
}
