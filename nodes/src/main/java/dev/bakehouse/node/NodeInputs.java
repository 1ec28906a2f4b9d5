package dev.bakehouse.node;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The inputs of one node run, by input name. Widget literals arrive as {@code Long} (INT),
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

    /** An INT input. */
    public long getLong(String name) {
        return get(name, Number.class).longValue();
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
