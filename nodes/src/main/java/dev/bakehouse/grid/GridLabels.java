package dev.bakehouse.grid;

import java.util.List;
import java.util.Objects;

/**
 * What a grid's margins say: each axis's title and one label per value. An axis that is not
 * used has an empty title and a single empty label; it then takes no margin.
 *
 * @param xTitle  e.g. {@code "LoRA"}, drawn above the column labels
 * @param xValues one label per column
 * @param yTitle  drawn in the top-left corner, above the row labels
 * @param yValues one label per row
 * @param zTitle  drawn in each page's banner before the page's value
 * @param zValues one label per page (grids stacked top to bottom)
 */
public record GridLabels(String xTitle, List<String> xValues, String yTitle, List<String> yValues,
        String zTitle, List<String> zValues) {

    public GridLabels {
        Objects.requireNonNull(xTitle, "xTitle");
        Objects.requireNonNull(yTitle, "yTitle");
        Objects.requireNonNull(zTitle, "zTitle");
        xValues = nonEmpty("X", xValues);
        yValues = nonEmpty("Y", yValues);
        zValues = nonEmpty("Z", zValues);
    }

    /** The labels of an axis that is not used. */
    public static List<String> unused() {
        return List.of("");
    }

    public int columns() {
        return xValues.size();
    }

    public int rows() {
        return yValues.size();
    }

    public int pages() {
        return zValues.size();
    }

    public int cells() {
        return columns() * rows() * pages();
    }

    boolean hasX() {
        return !xTitle.isEmpty() || xValues.stream().anyMatch(s -> !s.isEmpty());
    }

    boolean hasY() {
        return !yTitle.isEmpty() || yValues.stream().anyMatch(s -> !s.isEmpty());
    }

    boolean hasZ() {
        return !zTitle.isEmpty() || zValues.stream().anyMatch(s -> !s.isEmpty());
    }

    private static List<String> nonEmpty(String axis, List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException(axis + " axis: a grid axis needs at least one value");
        }
        return List.copyOf(values);
    }
}
