package dev.bakehouse.node.primitive;

import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.BooleanInput;
import dev.bakehouse.node.NodeSpec;

/** A true/false constant (ComfyUI's {@code PrimitiveBoolean}). */
public final class PrimitiveBoolean extends PrimitiveNode {
    public PrimitiveBoolean() {
        super(NodeSpec.builder("PrimitiveBoolean")
                .displayName("Boolean")
                .category(CATEGORY)
                .description("Outputs the value set on it.")
                .required(BooleanInput.of("value", false))
                .output(DataType.BOOLEAN)
                .build());
    }
}
