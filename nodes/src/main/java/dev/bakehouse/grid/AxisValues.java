package dev.bakehouse.grid;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Axis values as users of A1111's X/Y/Z plot type them. Items are separated by commas (CSV: an
 * item in double quotes may hold commas and {@code ""} stands for a quote); blank items are
 * dropped. Numeric items may be ranges, both ends included:
 *
 * <ul>
 *   <li>{@code 1-5} → 1, 2, 3, 4, 5 (step 1; {@code 5-1} counts down, where A1111 gives nothing)</li>
 *   <li>{@code 0-1 (+0.25)} → 0, 0.25, 0.5, 0.75, 1; {@code 10-1 (-3)} → 10, 7, 4, 1</li>
 *   <li>{@code 1-10 [4]} → 4 evenly spaced values from 1 to 10 (integers are truncated, as
 *       A1111's {@code np.linspace(…).astype(int)})</li>
 * </ul>
 *
 * Every error names the axis ({@code "X axis (Strength)"}), the item and what was expected.
 */
public final class AxisValues {
    /** Upper bound on one axis, so a typo like {@code 0-1000000} fails instead of sampling for days. */
    public static final int MAX_VALUES = 1000;

    private static final String NUMBER = "([+-]?\\s*\\d+(?:\\.\\d*)?|[+-]?\\s*\\.\\d+)";
    private static final Pattern STEP_RANGE = Pattern.compile(
            "\\s*" + NUMBER + "\\s*-\\s*" + NUMBER + "\\s*(?:\\(\\s*([+-]\\s*(?:\\d+(?:\\.\\d*)?|\\.\\d+))\\s*\\))?\\s*");
    private static final Pattern COUNT_RANGE = Pattern.compile(
            "\\s*" + NUMBER + "\\s*-\\s*" + NUMBER + "\\s*\\[\\s*(\\d+)\\s*]\\s*");

    private AxisValues() {}

    /**
     * Comma-separated items (CSV quoting), each stripped; blank items are dropped.
     *
     * @param axis how errors name the axis, e.g. {@code "X axis (Prompt S/R)"}
     */
    public static List<String> strings(String axis, String text) {
        List<String> items = new ArrayList<>();
        StringBuilder item = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    item.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    item.append(c);
                }
            } else if (c == '"' && item.toString().isBlank()) {
                item.setLength(0);
                quoted = true;
            } else if (c == ',') {
                addItem(items, item);
            } else {
                item.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(axis + ": a double quote is not closed in '" + text + "'");
        }
        addItem(items, item);
        return checkSize(axis, items);
    }

    /**
     * Items separated by new lines or semicolons when the text has any (for values that hold
     * commas themselves, such as block-weight vectors), otherwise as {@link #strings}.
     */
    public static List<String> lines(String axis, String text) {
        if (text.indexOf('\n') < 0 && text.indexOf(';') < 0) {
            return strings(axis, text);
        }
        List<String> items = new ArrayList<>();
        for (String line : text.split("[;\\r\\n]+")) {
            if (!line.isBlank()) {
                items.add(line.strip());
            }
        }
        return checkSize(axis, items);
    }

    /** Integers and integer ranges. */
    public static List<Long> longs(String axis, String text) {
        List<Long> values = new ArrayList<>();
        for (String item : strings(axis, text)) {
            for (BigDecimal v : expand(axis, item, true)) {
                try {
                    values.add(v.longValueExact());
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException(axis + ": '" + item + "' is not a whole number in the 64-bit range", e);
                }
            }
        }
        return checkSize(axis, values);
    }

    /** Numbers and number ranges. */
    public static List<Double> doubles(String axis, String text) {
        List<Double> values = new ArrayList<>();
        for (String item : strings(axis, text)) {
            for (BigDecimal v : expand(axis, item, false)) {
                values.add(v.doubleValue());
            }
        }
        return checkSize(axis, values);
    }

    /**
     * One item: a number or a range. Decimal arithmetic, so {@code 0-1 (+0.1)} gives exactly 0.1,
     * 0.2, … and ends at 1 rather than missing it by a rounding error.
     */
    private static List<BigDecimal> expand(String axis, String item, boolean integers) {
        Matcher count = COUNT_RANGE.matcher(item);
        if (count.matches()) {
            BigDecimal start = number(axis, item, count.group(1), integers);
            BigDecimal end = number(axis, item, count.group(2), integers);
            int n = countOf(axis, item, count.group(3));
            List<BigDecimal> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                BigDecimal v = n == 1 ? start : start.add(end.subtract(start)
                        .multiply(BigDecimal.valueOf(i)).divide(BigDecimal.valueOf(n - 1), 12, RoundingMode.HALF_EVEN));
                out.add(integers ? v.setScale(0, RoundingMode.DOWN) : v.stripTrailingZeros());
            }
            return out;
        }
        Matcher range = STEP_RANGE.matcher(item);
        if (range.matches()) {
            BigDecimal start = number(axis, item, range.group(1), integers);
            BigDecimal end = number(axis, item, range.group(2), integers);
            BigDecimal step = range.group(3) != null ? number(axis, item, range.group(3), integers)
                    : BigDecimal.valueOf(start.compareTo(end) <= 0 ? 1 : -1);
            if (step.signum() == 0 || step.signum() != end.subtract(start).signum() && start.compareTo(end) != 0) {
                throw new IllegalArgumentException(axis + ": range '" + item + "' never reaches " + end.toPlainString()
                        + " from " + start.toPlainString() + " in steps of " + step.toPlainString());
            }
            List<BigDecimal> out = new ArrayList<>();
            for (BigDecimal v = start; step.signum() > 0 ? v.compareTo(end) <= 0 : v.compareTo(end) >= 0; v = v.add(step)) {
                out.add(v);
                if (out.size() > MAX_VALUES) {
                    throw tooMany(axis, item);
                }
            }
            return out;
        }
        if (item.contains("(") || item.contains("[")) {
            throw new IllegalArgumentException(axis + ": '" + item + "' is not a range; expected e.g. '1-5', "
                    + "'0-1 (+0.25)' or '1-10 [4]'");
        }
        return List.of(number(axis, item, item, integers));
    }

    private static BigDecimal number(String axis, String item, String text, boolean integers) {
        String compact = text.replaceAll("\\s+", "");
        try {
            BigDecimal v = new BigDecimal(compact.startsWith("+") ? compact.substring(1) : compact);
            if (integers && v.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException(axis + ": '" + item + "' is not an integer");
            }
            return integers ? v.setScale(0, RoundingMode.UNNECESSARY) : v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(axis + ": '" + item + "' is not " + (integers ? "an integer" : "a number")
                    + " or a range (e.g. '1-5', '0-1 (+0.25)', '1-10 [4]')", e);
        }
    }

    private static int countOf(String axis, String item, String text) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw tooMany(axis, item);
        }
        if (n < 1) {
            throw new IllegalArgumentException(axis + ": range '" + item + "' asks for " + n + " values, expected at least 1");
        }
        if (n > MAX_VALUES) {
            throw tooMany(axis, item);
        }
        return n;
    }

    private static IllegalArgumentException tooMany(String axis, String item) {
        return new IllegalArgumentException(axis + ": '" + item + "' gives more than " + MAX_VALUES + " values");
    }

    private static void addItem(List<String> items, StringBuilder item) {
        String s = item.toString().strip();
        if (!s.isEmpty()) {
            items.add(s);
        }
        item.setLength(0);
    }

    private static <T> List<T> checkSize(String axis, List<T> values) {
        if (values.size() > MAX_VALUES) {
            throw new IllegalArgumentException(axis + ": " + values.size() + " values, at most " + MAX_VALUES + " allowed");
        }
        return List.copyOf(values);
    }
}
