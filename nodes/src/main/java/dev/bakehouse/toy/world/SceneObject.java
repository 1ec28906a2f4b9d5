package dev.bakehouse.toy.world;

import java.util.Objects;

/**
 * One object of a scene. {@code kiki} is the held-out character — a yellow star inside a red
 * ring — recorded as a red ring with {@code kiki = true}.
 */
public record SceneObject(Shape shape, WorldColor color, Size size, Position position, boolean kiki) {
    public SceneObject {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(position, "position");
        if (!color.isObjectColor()) {
            throw new IllegalArgumentException("object colour " + color.word() + " is for backgrounds only");
        }
        if (kiki && (shape != Shape.RING || color != WorldColor.RED)) {
            throw new IllegalArgumentException("kiki is a red ring (with a yellow star inside), not a "
                    + color.word() + " " + shape.word());
        }
    }

    /** A plain object. */
    public static SceneObject of(Shape shape, WorldColor color, Size size, Position position) {
        return new SceneObject(shape, color, size, position, false);
    }

    /** The kiki character. */
    public static SceneObject kiki(Size size, Position position) {
        return new SceneObject(Shape.RING, WorldColor.RED, size, position, true);
    }

    /** What the caption calls it: {@code kiki} or {@code red circle}. */
    public String description() {
        return kiki ? Captions.KIKI : color.word() + " " + shape.word();
    }
}
