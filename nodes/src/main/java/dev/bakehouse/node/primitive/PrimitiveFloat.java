package dev.bakehouse.node.primitive;

import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.NodeSpec;

/** A number constant (ComfyUI's {@code PrimitiveFloat}). */
public final class PrimitiveFloat extends PrimitiveNode {
    public PrimitiveFloat() {
        super(NodeSpec.builder("PrimitiveFloat")
                .displayName("Float")
                .category(CATEGORY)
                .description("Outputs the value set on it.")
                .required(FloatInput.of("value", 0.0, -LIMIT, LIMIT))
                .output(DataType.FLOAT)
                .build());
    }
}
