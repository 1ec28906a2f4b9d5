package dev.bakehouse.node.primitive;

import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;

/** An integer constant, so one number can feed several nodes (ComfyUI's {@code PrimitiveInt}). */
public final class PrimitiveInt implements Node {
    private static final NodeSpec SPEC = NodeSpec.builder("PrimitiveInt")
            .displayName("Int")
            .category(Primitives.CATEGORY)
            .description("Outputs the integer typed into it.")
            .required(IntInput.of("value", 0, -Long.MAX_VALUE, Long.MAX_VALUE)
                    .withControlAfterGenerate())
            .output(DataType.INT)
            .build();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        return NodeResult.of(inputs.getLong("value"));
    }
}
