package dev.bakehouse.tensor.sd;

import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorInfo;
import dev.bakehouse.tensor.TensorSource;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tensor keys and shapes of one checkpoint, without any data: everything architecture detection
 * and LoRA module enumeration need.
 *
 * @param source the file the keys came from (for messages; may be null)
 */
public record ShapeIndex(Path source, Map<String, long[]> shapes) {

    public ShapeIndex {
        shapes = Collections.unmodifiableMap(new TreeMap<>(shapes));
    }

    public static ShapeIndex of(TensorSource file) throws TensorFileException {
        Map<String, long[]> m = new TreeMap<>();
        for (String name : file.names()) {
            TensorInfo t = file.info(name);
            m.put(name, t.shape());
        }
        return new ShapeIndex(file.path(), m);
    }

    public Set<String> keys() {
        return shapes.keySet();
    }

    public boolean has(String key) {
        return shapes.containsKey(key);
    }

    /** The shape of a key that must be present. */
    public long[] shape(String key) throws TensorFileException {
        long[] s = shapes.get(key);
        if (s == null) {
            throw new TensorFileException(source, key, "missing (needed to recognise the architecture)");
        }
        return s.clone();
    }

    /** One dimension of a key that must be present. */
    public int dim(String key, int axis) throws TensorFileException {
        long[] s = shape(key);
        if (axis >= s.length) {
            throw new TensorFileException(source, key, "has " + s.length + " dims, expected at least " + (axis + 1));
        }
        return Math.toIntExact(s[axis]);
    }

    /** The distinct integers N of keys {@code <prefix>N.<anything>}. */
    public Set<Integer> indices(String prefix) {
        Set<Integer> out = new TreeSet<>();
        for (String k : shapes.keySet()) {
            if (!k.startsWith(prefix)) {
                continue;
            }
            int dot = k.indexOf('.', prefix.length());
            if (dot <= prefix.length()) {
                continue;
            }
            String n = k.substring(prefix.length(), dot);
            if (n.length() < 10 && n.chars().allMatch(Character::isDigit)) {
                out.add(Integer.parseInt(n));
            }
        }
        return out;
    }

    /** Whether any key starts with the prefix. */
    public boolean anyWithPrefix(String prefix) {
        String next = shapes.keySet().stream().filter(k -> k.compareTo(prefix) >= 0).findFirst().orElse(null);
        return next != null && next.startsWith(prefix);
    }
}
