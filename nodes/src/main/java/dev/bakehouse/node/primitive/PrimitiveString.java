package dev.bakehouse.node.primitive;

import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;

/** A text constant (ComfyUI's {@code PrimitiveString}). */
public final class PrimitiveString implements Node {
    private static final NodeSpec SPEC = NodeSpec.builder("PrimitiveString")
            .displayName("String")
            .category(Primitives.CATEGORY)
            .description("Outputs the text typed into it.")
            .required(StringInput.of("value", ""))
            .output(DataType.STRING)
            .build();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        return NodeResult.of(inputs.getString("value"));
    }
}
