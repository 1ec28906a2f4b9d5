package dev.bakehouse.train.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * kohya's {@code --optimizer_args}: {@code key=value} words whose values are Python literals
 * ({@code weight_decay=0.01 betas=0.9,0.99 decouple=True}). Parsed once at the boundary; the
 * optimizer reads typed values with its own defaults and rejects keys it does not know.
 */
public final class OptimizerArgs {
    private final Map<String, Object> values;

    private OptimizerArgs(Map<String, Object> values) {
        this.values = values;
    }

    public static OptimizerArgs none() {
        return new OptimizerArgs(Map.of());
    }

    /** Parses {@code key=value} words; a later key replaces an earlier one, as in kohya's dict. */
    public static OptimizerArgs parse(List<String> words) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq <= 0 || word.indexOf('=', eq + 1) >= 0) {
                throw new IllegalArgumentException("optimizer_args: '" + word + "' is not of the form key=value");
            }
            String key = word.substring(0, eq).trim();
            try {
                values.put(key, PythonLiteral.parse(word.substring(eq + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("optimizer_args " + key + ": " + e.getMessage(), e);
            }
        }
        return new OptimizerArgs(Collections.unmodifiableMap(values));
    }

    /** A copy with {@code key} set when absent (kohya fills momentum=0.9, relative_step=True so). */
    OptimizerArgs withDefault(String key, Object value) {
        if (values.containsKey(key)) {
            return this;
        }
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new OptimizerArgs(Collections.unmodifiableMap(copy));
    }

    public Map<String, Object> values() {
        return values;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** Fails naming every key the optimizer does not take, and the ones it does. */
    void requireKnown(String optimizer, Set<String> accepted) {
        List<String> unknown = new ArrayList<>();
        for (String key : values.keySet()) {
            if (!accepted.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("optimizer_args for " + optimizer + ": unknown "
                    + (unknown.size() == 1 ? "key " : "keys ") + String.join(", ", unknown)
                    + "; accepted: " + String.join(", ", new TreeSet<>(accepted)));
        }
    }

    double real(String key, double fallback) {
        Object v = values.get(key);
        if (v == null && !values.containsKey(key)) {
            return fallback;
        }
        if (v instanceof Number n && !(v instanceof Boolean)) {
            return n.doubleValue();
        }
        throw typeError(key, "a number", v);
    }

    /** A number or None (Adafactor's beta1, Prodigy's beta3). */
    Double optionalReal(String key, Double fallback) {
        if (!values.containsKey(key)) {
            return fallback;
        }
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw typeError(key, "a number or None", v);
    }

    long integer(String key, long fallback) {
        if (!values.containsKey(key)) {
            return fallback;
        }
        if (values.get(key) instanceof Long l) {
            return l;
        }
        throw typeError(key, "an integer", values.get(key));
    }

    boolean bool(String key, boolean fallback) {
        if (!values.containsKey(key)) {
            return fallback;
        }
        if (values.get(key) instanceof Boolean b) {
            return b;
        }
        throw typeError(key, "True or False", values.get(key));
    }

    /** A pair of numbers such as {@code betas=0.9,0.999}. */
    double[] pair(String key, double first, double second) {
        if (!values.containsKey(key)) {
            return new double[] {first, second};
        }
        if (values.get(key) instanceof List<?> l && l.size() == 2
                && l.get(0) instanceof Number a && l.get(1) instanceof Number b) {
            return new double[] {a.doubleValue(), b.doubleValue()};
        }
        throw typeError(key, "two numbers such as " + key + "=" + first + "," + second, values.get(key));
    }

    /** A setting this implementation supports only at its default (percentile_clipping=100, ...). */
    void requireDefault(String optimizer, String key, Object supported, String why) {
        if (values.containsKey(key) && !String.valueOf(values.get(key)).equals(String.valueOf(supported))) {
            throw new IllegalArgumentException("optimizer_args for " + optimizer + ": " + key + "="
                    + render(values.get(key)) + " is not supported, only " + render(supported) + " (" + why + ")");
        }
    }

    private static IllegalArgumentException typeError(String key, String expected, Object found) {
        return new IllegalArgumentException("optimizer_args " + key + ": expected " + expected + ", found "
                + render(found));
    }

    private static String render(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return String.valueOf(v);
    }
}
