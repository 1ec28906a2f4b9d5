package dev.bakehouse.train.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Converted option values by option name: kohya's defaults overlaid with what the config file and
 * the command line set. Values are {@link Boolean}, {@link Integer}, {@link Double}, {@link String},
 * {@link StepsOrRatio} or a {@link List} of those.
 */
final class OptionValues {
    private final Map<String, Object> values;
    private final Set<String> explicit;

    OptionValues(Map<String, Object> given) {
        Map<String, Object> all = new HashMap<>();
        for (OptionSpec spec : KohyaOptions.ALL) {
            all.put(spec.name(), spec.defaultValue());
        }
        all.putAll(given);
        this.values = all;
        this.explicit = Set.copyOf(given.keySet());
    }

    boolean isSet(String name) {
        return explicit.contains(name);
    }

    Object raw(String name) {
        return values.get(KohyaOptions.get(name).name());
    }

    boolean flag(String name) {
        return Boolean.TRUE.equals(raw(name));
    }

    String string(String name) {
        return (String) raw(name);
    }

    int integer(String name) {
        return (Integer) raw(name);
    }

    Integer optionalInteger(String name) {
        return (Integer) raw(name);
    }

    double real(String name) {
        return ((Number) raw(name)).doubleValue();
    }

    Double optionalReal(String name) {
        Object value = raw(name);
        return value == null ? null : ((Number) value).doubleValue();
    }

    StepsOrRatio stepsOrRatio(String name) {
        Object value = raw(name);
        return value instanceof StepsOrRatio steps ? steps : StepsOrRatio.parse(String.valueOf(value));
    }

    @SuppressWarnings("unchecked")
    List<String> strings(String name) {
        Object value = raw(name);
        return value == null ? List.of() : List.copyOf((List<String>) value);
    }

    @SuppressWarnings("unchecked")
    List<Double> reals(String name) {
        Object value = raw(name);
        return value == null ? List.of() : List.copyOf((List<Double>) value);
    }

    <E> E choice(String name, Function<String, E> parse) {
        String value = string(name);
        return value == null ? null : parse.apply(value);
    }
}
