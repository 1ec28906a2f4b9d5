package dev.bakehouse.train.save;

import dev.bakehouse.train.data.PythonJson;
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

    /** {@code repr(float)}: as json.dumps spells finite floats, but {@code nan}/{@code inf} as str() does. */
    public static String ofDouble(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return PythonJson.floatRepr(v);
    }
}
