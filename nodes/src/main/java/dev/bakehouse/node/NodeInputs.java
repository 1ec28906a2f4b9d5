package dev.bakehouse.node;

import dev.bakehouse.model.sampling.Seed;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The inputs of one node run, by input name. Widget literals arrive as {@code Long} (INT; a
 * {@link BigInteger} when outside the {@code long} range, as seeds above 2^63-1 are),
 * {@code Double} (FLOAT), {@code String} (STRING and combos), {@code Boolean} (BOOLEAN); linked
 * inputs as whatever the upstream node produced. For a node with
 * {@link NodeSpec#inputIsList()} every value is a {@link List}.
 *
 * <p>Getters fail with a message naming the node and the input when a value is missing or has
 * another type.
 */
public final class NodeInputs {
    private final String owner;
    private final Map<String, Object> values;

    /**
     * @param owner  how errors name the node, e.g. {@code "SaveImage #9"}
     * @param values input name to value ({@code null} values are kept as present-but-null)
     */
    public NodeInputs(String owner, Map<String, ?> values) {
        this.owner = owner;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Whether the input is present (absent optional inputs are not). */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Names of the present inputs, in prompt order. */
    public Set<String> names() {
        return values.keySet();
    }

    /** The raw values by name. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** The value of {@code name} as a {@code T}. */
    public <T> T get(String name, Class<T> type) {
        Object value = require(name);
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(owner + ": input '" + name + "' should be "
                    + type.getSimpleName() + " but is " + describe(value));
        }
        return type.cast(value);
    }

    /** The value of an optional input, or empty when it is absent. */
    public <T> Optional<T> optional(String name, Class<T> type) {
        return has(name) && values.get(name) != null ? Optional.of(get(name, type)) : Optional.empty();
    }

    /**
     * An INT input that must fit in a {@code long}; values beyond it (seeds up to 2^64-1) fail
     * rather than wrap: read those with {@link #getBigInteger} or {@link #getSeed}.
     */
    public long getLong(String name) {
        Number value = get(name, Number.class);
        if (value instanceof BigInteger big) {
            if (big.bitLength() >= 64) {
                throw new IllegalArgumentException(owner + ": input '" + name + "' = " + big
                        + " does not fit in a 64-bit signed integer");
            }
            return big.longValue();
        }
        return value.longValue();
    }

    /** An INT input of any size, exactly. */
    public BigInteger getBigInteger(String name) {
        Number value = get(name, Number.class);
        if (value instanceof BigInteger big) {
            return big;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte) {
            return BigInteger.valueOf(value.longValue());
        }
        throw new IllegalArgumentException(owner + ": input '" + name + "' should be an integer but is "
                + describe(value));
    }

    /**
     * A seed input ({@link InputSpec.IntInput#seed}), 0 .. 2^64-1. ComfyUI hands the seed to
     * {@code torch.manual_seed}, which takes it as an unsigned 64-bit number; {@link Seed#bits()}
     * holds those 64 bits as a Java {@code long} (negative above 2^63-1), which is what
     * libtorch's generator receives through DJL's {@code JniUtils.setSeed(long)}.
     */
    public Seed getSeed(String name) {
        BigInteger value = getBigInteger(name);
        try {
            return Seed.of(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(owner + ": input '" + name + "': " + e.getMessage(), e);
        }
    }

    /** An INT input that must fit in an {@code int}. */
    public int getInt(String name) {
        long value = getLong(name);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(owner + ": input '" + name + "' = " + value
                    + " does not fit in a 32-bit integer");
        }
        return (int) value;
    }

    /** A FLOAT input. */
    public double getDouble(String name) {
        return get(name, Number.class).doubleValue();
    }

    /** A FLOAT input as {@code float}. */
    public float getFloat(String name) {
        return (float) getDouble(name);
    }

    /** A STRING or combo input. */
    public String getString(String name) {
        return get(name, String.class);
    }

    /** A BOOLEAN input. */
    public boolean getBoolean(String name) {
        return get(name, Boolean.class);
    }

    /** An input of a list node ({@link NodeSpec#inputIsList()}), each element checked. */
    public <T> List<T> getList(String name, Class<T> elementType) {
        List<?> list = get(name, List.class);
        for (int i = 0; i < list.size(); i++) {
            if (!elementType.isInstance(list.get(i))) {
                throw new IllegalArgumentException(owner + ": input '" + name + "'[" + i
                        + "] should be " + elementType.getSimpleName() + " but is "
                        + describe(list.get(i)));
            }
        }
        @SuppressWarnings("unchecked")
        List<T> typed = (List<T>) list;
        return typed;
    }

    private Object require(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException(owner + ": input '" + name + "' is missing");
        }
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException(owner + ": input '" + name + "' is null");
        }
        return value;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }

    @Override
    public String toString() {
        return owner + " " + values.keySet();
    }
}
