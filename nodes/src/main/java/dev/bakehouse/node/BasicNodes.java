package dev.bakehouse.node;

import dev.bakehouse.node.image.LoadImage;
import dev.bakehouse.node.image.PreviewImage;
import dev.bakehouse.node.image.SaveImage;
import dev.bakehouse.node.primitive.PrimitiveBoolean;
import dev.bakehouse.node.primitive.PrimitiveFloat;
import dev.bakehouse.node.primitive.PrimitiveInt;
import dev.bakehouse.node.primitive.PrimitiveString;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** The node types every server has: primitives and image load/save/preview. */
public final class BasicNodes {
    private BasicNodes() {}

    /**
     * Factories of the basic nodes, for {@link NodeRegistry#of}.
     *
     * @param dirs the folders image nodes read and write
     */
    public static List<Supplier<? extends Node>> all(DataDirs dirs) {
        return all(dirs, new SecureRandom());
    }

    /**
     * @param random draws preview file-name suffixes (seed it in tests)
     */
    public static List<Supplier<? extends Node>> all(DataDirs dirs, RandomGenerator random) {
        return List.of(
                () -> new LoadImage(dirs),
                SaveImage::new,
                () -> new PreviewImage(random),
                PrimitiveInt::new,
                PrimitiveFloat::new,
                PrimitiveString::new,
                PrimitiveBoolean::new);
    }
}
