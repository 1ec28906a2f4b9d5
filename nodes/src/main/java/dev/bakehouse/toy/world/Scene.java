package dev.bakehouse.toy.world;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a toy-world image shows: a plain background and one or two objects, kept in caption order
 * (kiki first, then reading order of the grid cells; see {@link Captions}).
 */
public record Scene(WorldColor background, List<SceneObject> objects) {
    /** Caption order: kiki first, then top-left to bottom-right. */
    static final Comparator<SceneObject> CAPTION_ORDER =
            Comparator.comparing((SceneObject o) -> !o.kiki()).thenComparing(SceneObject::position);

    public Scene {
        Objects.requireNonNull(background, "background");
        objects = objects.stream().sorted(CAPTION_ORDER).toList();
        for (SceneObject o : objects) {
            if (o.color() == background) {
                throw new IllegalArgumentException("object " + o.description() + " has the background's colour "
                        + background.word());
            }
        }
    }

    /** Whether some object is kiki. */
    public boolean hasKiki() {
        return objects.stream().anyMatch(SceneObject::kiki);
    }

    /** The booru-style caption ({@link Captions#of}). */
    public String caption() {
        return Captions.of(this);
    }
}
