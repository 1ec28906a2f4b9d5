package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;

/**
 * Turns a (coerced) JSON literal into the Java value nodes receive: {@code Long} for integers
 * ({@link BigInteger} beyond the long range, e.g. seeds above 2^63-1),
 * {@code Double} for other numbers, {@code String}, {@code Boolean}, {@code null}; objects and
 * arrays stay {@link JsonNode}s.
 */
final class Literals {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Literals() {}

    static Object toJava(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            BigInteger big = value.bigIntegerValue();
            return big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0 ? big.longValue() : big;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        return value;
    }

    /** Unwraps {@code {"__value__": …}}, the wrapper clients use for literal lists (§4.1). */
    static JsonNode unwrap(JsonNode value) {
        return value.isObject() && value.has("__value__") ? value.get("__value__") : value;
    }
}
