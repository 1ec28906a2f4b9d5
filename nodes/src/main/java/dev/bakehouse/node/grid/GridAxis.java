package dev.bakehouse.node.grid;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One axis of a grid after parsing: its kind, the text the user typed and the values in order.
 *
 * @param name "X", "Y" or "Z"
 */
record GridAxis(String name, GridAxisType type, String text, List<Value> values) {

    /**
     * One value of an axis.
     *
     * @param label what the grid margin shows
     * @param apply changes the base settings into this value's
     */
    record Value(String label, UnaryOperator<CellSettings> apply) {}

    GridAxis {
        values = List.copyOf(values);
    }

    /** An axis that is not used: one value that changes nothing. */
    static GridAxis unused(String name) {
        return new GridAxis(name, GridAxisType.NONE, "", List.of(new Value("", s -> s)));
    }

    boolean isUsed() {
        return type != GridAxisType.NONE;
    }

    /** The margin title: the axis type, or "" when unused. */
    String title() {
        return isUsed() ? type.title() : "";
    }

    List<String> labels() {
        return values.stream().map(Value::label).toList();
    }

    /** How errors name this axis, e.g. {@code "X axis (Strength)"}. */
    static String describe(String name, GridAxisType type) {
        return name + " axis (" + type.title() + ")";
    }
}
