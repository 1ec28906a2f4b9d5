package dev.bakehouse.train.save;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Python's {@code str()} of the values kohya puts into {@code ss_*} metadata: {@code None},
 * {@code True}/{@code False}, ints, floats in their shortest round-trip form ({@code 0.0001},
 * {@code 1e-05}, {@code 1.0}) and tuples ({@code (512, 512)}). Tools that read the metadata
 * (A1111's LoRA info, civitai) parse these strings, so the spelling matters.
 */
public final class PythonRepr {
    private PythonRepr() {}

    /** {@code str(value)} for null, Boolean, Integer/Long, Float/Double, String, and lists as tuples. */
    public static String of(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Double d) {
            return ofDouble(d);
        }
        if (value instanceof Float f) {
            return ofDouble(f.doubleValue());
        }
        if (value instanceof Number n) {
            return Long.toString(n.longValue());
        }
        if (value instanceof List<?> list) {
            return tuple(list);
        }
        return value.toString();
    }

    /** A Python tuple's str: {@code (512, 512)}, {@code (1,)}. */
    public static String tuple(List<?> items) {
        if (items.size() == 1) {
            return "(" + of(items.get(0)) + ",)";
        }
        return items.stream().map(PythonRepr::of).collect(Collectors.joining(", ", "(", ")"));
    }

    /** {@code repr(float)}: the shortest digits that read back as the same double, Python's layout. */
    public static String ofDouble(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = null;
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal candidate = new BigDecimal(v).round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == v) {
                shortest = candidate;
                break;
            }
        }
        BigDecimal d = shortest.stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale(); // decimal exponent of the first digit
        String sign = v < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = String.format("%02d", Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
        }
        String plain = d.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}
