package dev.bakehouse.node.primitive;

import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;

/**
 * A constant node: its single widget {@code value} (already coerced by validation) becomes its
 * single output, so one value can feed several nodes.
 */
abstract class PrimitiveNode implements Node {
    /** Menu path of ComfyUI's primitive nodes. */
    static final String CATEGORY = "utils/primitive";
    /** ComfyUI bounds its primitive numbers by Python's {@code sys.maxsize}. */
    static final long LIMIT = Long.MAX_VALUE;

    private final NodeSpec spec;

    PrimitiveNode(NodeSpec spec) {
        this.spec = spec;
    }

    @Override
    public final NodeSpec spec() {
        return spec;
    }

    @Override
    public final NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        return NodeResult.of(inputs.get("value", Object.class));
    }
}
