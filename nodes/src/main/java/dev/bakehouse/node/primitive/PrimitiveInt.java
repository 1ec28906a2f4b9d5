package dev.bakehouse.node.primitive;

import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.NodeSpec;

/** An integer constant (ComfyUI's {@code PrimitiveInt}). */
public final class PrimitiveInt extends PrimitiveNode {
    public PrimitiveInt() {
        super(NodeSpec.builder("PrimitiveInt")
                .displayName("Int")
                .category(CATEGORY)
                .description("Outputs the value set on it.")
                .required(IntInput.of("value", 0, -LIMIT, LIMIT).withControlAfterGenerate())
                .output(DataType.INT)
                .build());
    }
}
