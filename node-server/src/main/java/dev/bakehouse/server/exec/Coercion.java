package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bakehouse.node.JsonIntegers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Coerces a literal input to its declared widget type the way ComfyUI does with Python's
 * {@code int()}, {@code float()}, {@code str()} and {@code bool()} (spec §4.1): {@code 7.9} → 7,
 * {@code "7.9"} fails as INT, {@code true} → {@code "True"}, {@code "false"} → {@code true}.
 * Failures carry Python's message, which clients show.
 */
final class Coercion {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+(_\\d+)*");
    private static final Pattern DECIMAL = Pattern.compile(
            "[+-]?((\\d+(_\\d+)*)(\\.(\\d+(_\\d+)*)?)?|\\.\\d+(_\\d+)*)([eE][+-]?\\d+(_\\d+)*)?");

    private Coercion() {}

    /** A failed conversion, with Python's message. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    /**
     * Coerces {@code value} for an input of type {@code type}; types other than INT, FLOAT,
     * STRING and BOOLEAN are returned unchanged.
     */
    static JsonNode coerce(JsonNode value, String type) throws Failure {
        return switch (type) {
            case "INT" -> toInt(value);
            case "FLOAT" -> toFloat(value);
            case "STRING" -> JSON.textNode(Py.str(value));
            case "BOOLEAN" -> JSON.booleanNode(truthy(value));
            default -> value;
        };
    }

    private static JsonNode toInt(JsonNode value) throws Failure {
        if (value.isIntegralNumber()) {
            return JsonIntegers.of(value.bigIntegerValue());
        }
        if (value.isNumber()) {
            double d = value.doubleValue();
            if (Double.isNaN(d)) {
                throw new Failure("cannot convert float NaN to integer");
            }
            if (Double.isInfinite(d)) {
                throw new Failure("cannot convert float infinity to integer");
            }
            return JsonIntegers.of(new BigDecimal(d).toBigInteger());
        }
        if (value.isBoolean()) {
            return JSON.numberNode(value.booleanValue() ? 1 : 0);
        }
        if (value.isTextual()) {
            String text = value.textValue().strip();
            if (INTEGER.matcher(text).matches()) {
                return JsonIntegers.of(new BigInteger(text.replace("_", "")));
            }
            throw new Failure("invalid literal for int() with base 10: "
                    + Py.reprString(value.textValue()));
        }
        throw new Failure("int() argument must be a string, a bytes-like object or a real number, "
                + "not '" + Py.typeName(value) + "'");
    }

    private static JsonNode toFloat(JsonNode value) throws Failure {
        if (value.isNumber()) {
            return JSON.numberNode(value.doubleValue());
        }
        if (value.isBoolean()) {
            return JSON.numberNode(value.booleanValue() ? 1.0 : 0.0);
        }
        if (value.isTextual()) {
            String text = value.textValue().strip();
            String lower = text.toLowerCase(Locale.ROOT);
            String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
            boolean negative = lower.startsWith("-");
            if (unsigned.equals("inf") || unsigned.equals("infinity")) {
                return JSON.numberNode(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
            }
            if (unsigned.equals("nan")) {
                return JSON.numberNode(Double.NaN);
            }
            if (DECIMAL.matcher(text).matches()) {
                return JSON.numberNode(Double.parseDouble(text.replace("_", "")));
            }
            throw new Failure("could not convert string to float: " + Py.reprString(value.textValue()));
        }
        throw new Failure("float() argument must be a string or a real number, not '"
                + Py.typeName(value) + "'");
    }

    /** Python truthiness of a JSON value. */
    static boolean truthy(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.doubleValue() != 0 || (value.isIntegralNumber() && value.bigIntegerValue().signum() != 0);
        }
        if (value.isTextual()) {
            return !value.textValue().isEmpty();
        }
        return value.size() > 0;
    }
}
