package dev.bakehouse.server.exec;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code str()} and {@code repr()} of JSON values. ComfyUI builds its error texts and
 * STRING coercions with them ({@code true} → {@code "True"}, {@code 2.0} → {@code "2.0"},
 * {@code ['a', 'b']}), and clients show those texts, so we spell values the same way.
 */
final class Py {
    private Py() {}

    /** {@code str(value)}. */
    static String str(JsonNode value) {
        return value.isTextual() ? value.textValue() : repr(value);
    }

    /** {@code repr(value)}. */
    static String repr(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "None";
        }
        if (value.isTextual()) {
            return reprString(value.textValue());
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "True" : "False";
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            return reprFloat(value.doubleValue());
        }
        if (value.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < value.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(repr(value.get(i)));
            }
            return out.append(']').toString();
        }
        StringBuilder out = new StringBuilder("{");
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        boolean first = true;
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            out.append(first ? "" : ", ").append(reprString(field.getKey())).append(": ")
                    .append(repr(field.getValue()));
            first = false;
        }
        return out.append('}').toString();
    }

    /** {@code repr(list_of_strings)}, e.g. {@code ['a.png', 'b.png']}. */
    static String reprList(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(reprString(values.get(i)));
        }
        return out.append(']').toString();
    }

    /** Python's name of a JSON value's type, as in its TypeError messages. */
    static String typeName(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "NoneType";
        }
        if (value.isTextual()) {
            return "str";
        }
        if (value.isBoolean()) {
            return "bool";
        }
        if (value.isIntegralNumber()) {
            return "int";
        }
        if (value.isNumber()) {
            return "float";
        }
        return value.isArray() ? "list" : "dict";
    }

    /** {@code repr(s)}: single quotes unless the text holds one and no double quote. */
    static String reprString(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == quote || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(quote).toString();
    }

    /**
     * {@code repr(float)}: the shortest digits, fixed notation when the decimal exponent is in
     * [-4, 16), otherwise {@code 1e-05} style; always a {@code .0} when integral.
     */
    static String reprFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = exact.precision() - exact.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = exact.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = exact.signum() < 0 ? "-" : "";
        String expSign = exponent < 0 ? "-" : "+";
        return sign + mantissa + "e" + expSign + String.format("%02d", Math.abs(exponent));
    }
}
