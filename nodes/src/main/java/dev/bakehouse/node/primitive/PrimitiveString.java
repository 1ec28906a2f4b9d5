package dev.bakehouse.node.primitive;

import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.NodeSpec;

/** A text constant (ComfyUI's {@code PrimitiveString}). */
public final class PrimitiveString extends PrimitiveNode {
    public PrimitiveString() {
        super(NodeSpec.builder("PrimitiveString")
                .displayName("String")
                .category(CATEGORY)
                .description("Outputs the value set on it.")
                .required(StringInput.of("value", ""))
                .output(DataType.STRING)
                .build());
    }
}
