package dev.bakehouse.node;

import dev.bakehouse.node.primitive.PrimitiveBoolean;
import dev.bakehouse.node.primitive.PrimitiveFloat;
import dev.bakehouse.node.primitive.PrimitiveInt;
import dev.bakehouse.node.primitive.PrimitiveString;
import java.util.List;
import java.util.function.Supplier;

/** The node types every server has: primitives and image load/save/preview. */
public final class BasicNodes {
    private BasicNodes() {}

    /**
     * Factories of the basic nodes, for {@link NodeRegistry#of}.
     *
     * @param dirs the folders image nodes read and write
     */
    public static List<Supplier<? extends Node>> all(DataDirs dirs) {
        return List.of(
                PrimitiveInt::new,
                PrimitiveFloat::new,
                PrimitiveString::new,
                PrimitiveBoolean::new);
    }
}
