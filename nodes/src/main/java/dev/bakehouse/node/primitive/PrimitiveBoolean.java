package dev.bakehouse.node.primitive;

import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.BooleanInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;

/** A true/false constant (ComfyUI's {@code PrimitiveBoolean}). */
public final class PrimitiveBoolean implements Node {
    private static final NodeSpec SPEC = NodeSpec.builder("PrimitiveBoolean")
            .displayName("Boolean")
            .category(Primitives.CATEGORY)
            .description("Outputs the switch set on it.")
            .required(BooleanInput.of("value", false))
            .output(DataType.BOOLEAN)
            .build();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        return NodeResult.of(inputs.getBoolean("value"));
    }
}
