package dev.bakehouse.toy.world;

import java.util.ArrayList;
import java.util.List;

/**
 * Booru-style captions of toy-world scenes, and their parser.
 *
 * <p>Format: the first object's description, the background, then its size and position
 * ({@code red circle, blue background, large, top_left}); every further object adds its
 * description, size and position ({@code …, green square, small, bottom_right}). Objects come in
 * {@link Scene#CAPTION_ORDER}: kiki first (so kiki captions start with the trigger word), then
 * the reading order of their grid cells. Kiki is described by the trigger alone
 * ({@code kiki, green background, medium, center}).
 */
public final class Captions {
    /** The trigger word of the held-out character. */
    public static final String KIKI = "kiki";
    static final String SEPARATOR = ", ";
    private static final String BACKGROUND = " background";

    private Captions() {}

    public static String of(Scene scene) {
        List<String> tags = new ArrayList<>();
        List<SceneObject> objects = scene.objects();
        for (int i = 0; i < objects.size(); i++) {
            SceneObject o = objects.get(i);
            tags.add(o.description());
            if (i == 0) {
                tags.add(scene.background().word() + BACKGROUND);
            }
            tags.add(o.size().word());
            tags.add(o.position().word());
        }
        if (objects.isEmpty()) {
            tags.add(scene.background().word() + BACKGROUND);
        }
        return String.join(SEPARATOR, tags);
    }

    /**
     * Reads a caption written by {@link #of} back into a scene (tags may be separated by commas
     * with any spacing). Errors name the tag and what was expected.
     */
    public static Scene parse(String caption) {
        WorldColor background = null;
        List<SceneObject> objects = new ArrayList<>();
        Partial current = null;
        for (String raw : caption.split(",")) {
            String tag = raw.strip();
            if (tag.isEmpty()) {
                continue;
            }
            Size size = wordOf(Size.values(), tag);
            Position position = wordOf(Position.values(), tag);
            if (tag.endsWith(BACKGROUND)) {
                if (background != null) {
                    throw error(caption, tag, "one background (already " + background.word() + ")");
                }
                background = colorOf(caption, tag, tag.substring(0, tag.length() - BACKGROUND.length()));
            } else if (size != null || position != null) {
                if (current == null) {
                    throw error(caption, tag, "an object (kiki or '<colour> <shape>') before its size and position");
                }
                current.set(caption, tag, size, position);
            } else {
                if (current != null) {
                    objects.add(current.finish(caption));
                }
                current = new Partial(tag, tag.equals(KIKI) ? null : objectOf(caption, tag));
            }
        }
        if (current != null) {
            objects.add(current.finish(caption));
        }
        if (background == null) {
            throw new IllegalArgumentException("caption '" + caption + "': no '<colour> background' tag");
        }
        return new Scene(background, objects);
    }

    /** An object whose size and position are still being read. */
    private static final class Partial {
        final String description;
        final SceneObject colorAndShape; // null for kiki
        Size size;
        Position position;

        Partial(String description, SceneObject colorAndShape) {
            this.description = description;
            this.colorAndShape = colorAndShape;
        }

        void set(String caption, String tag, Size s, Position p) {
            if ((s != null && size != null) || (p != null && position != null)) {
                throw error(caption, tag, "one size and one position for '" + description + "'");
            }
            size = s != null ? s : size;
            position = p != null ? p : position;
        }

        SceneObject finish(String caption) {
            if (size == null || position == null) {
                throw error(caption, description, "a size (small/medium/large) and a grid position (top_left … "
                        + "bottom_right) after it");
            }
            return colorAndShape == null ? SceneObject.kiki(size, position)
                    : SceneObject.of(colorAndShape.shape(), colorAndShape.color(), size, position);
        }
    }

    /** Colour and shape of a '<colour> <shape>' tag, as a placeholder object. */
    private static SceneObject objectOf(String caption, String tag) {
        String[] words = tag.split("\\s+");
        if (words.length != 2) {
            throw error(caption, tag, "kiki, '<colour> <shape>', '<colour> background', a size or a position");
        }
        WorldColor color = colorOf(caption, tag, words[0]);
        if (!color.isObjectColor()) {
            throw error(caption, tag, "an object colour (" + color.word() + " is for backgrounds only)");
        }
        Shape shape = wordOf(Shape.values(), words[1]);
        if (shape == null) {
            throw error(caption, tag, "a shape (circle, square, triangle, cross, ring, star) after the colour");
        }
        return SceneObject.of(shape, color, Size.SMALL, Position.CENTER);
    }

    private static WorldColor colorOf(String caption, String tag, String word) {
        WorldColor color = wordOf(WorldColor.values(), word.strip());
        if (color == null) {
            throw error(caption, tag, "a palette colour (red, green, blue, yellow, purple, orange, white, black, grey)");
        }
        return color;
    }

    private static <E extends Enum<E>> E wordOf(E[] values, String word) {
        for (E e : values) {
            if (e.name().equalsIgnoreCase(word)) {
                return e;
            }
        }
        return null;
    }

    private static IllegalArgumentException error(String caption, String tag, String expected) {
        return new IllegalArgumentException("caption '" + caption + "', tag '" + tag + "': expected " + expected);
    }
}
