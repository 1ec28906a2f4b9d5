package dev.bakehouse.node;

import java.util.Objects;

/**
 * One declared output slot of a node.
 *
 * @param type    the output's type name
 * @param name    display name ({@code output_name}); defaults to the type name
 * @param isList  {@code OUTPUT_IS_LIST}: the node returns a {@link java.util.List} for this slot
 *                and each element feeds a separate run of downstream nodes (spec §6.5)
 * @param tooltip help text, or {@code null}
 */
public record OutputSpec(DataType type, String name, boolean isList, String tooltip) {
    public OutputSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    /** An output named after its type. */
    public static OutputSpec of(DataType type) {
        return new OutputSpec(type, type.name(), false, null);
    }

    public static OutputSpec of(DataType type, String name) {
        return new OutputSpec(type, name, false, null);
    }

    public OutputSpec asList() {
        return new OutputSpec(type, name, true, tooltip);
    }

    public OutputSpec withTooltip(String text) {
        return new OutputSpec(type, name, isList, text);
    }
}
