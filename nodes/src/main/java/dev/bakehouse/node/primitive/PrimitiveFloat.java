package dev.bakehouse.node.primitive;

import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;

/** A float constant (ComfyUI's {@code PrimitiveFloat}). */
public final class PrimitiveFloat implements Node {
    private static final NodeSpec SPEC = NodeSpec.builder("PrimitiveFloat")
            .displayName("Float")
            .category(Primitives.CATEGORY)
            .description("Outputs the number typed into it.")
            .required(FloatInput.of("value", 0.0, -Primitives.FLOAT_LIMIT, Primitives.FLOAT_LIMIT))
            .output(DataType.FLOAT)
            .build();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        return NodeResult.of(inputs.getDouble("value"));
    }
}
