package dev.bakehouse.toy.world;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Draws toy-world scenes: one object, sometimes two (never overlapping, at most one kiki), on a
 * plain background of another palette colour or grey; deterministic from a seed. The object's box centre lies well
 * inside its grid cell and the box inside the image, so position and size are readable back.
 */
public final class WorldGenerator {
    public static final int DEFAULT_RESOLUTION = 128;
    /** How often a scene has a second object. */
    static final double SECOND_OBJECT = 0.3;
    /** In {@link SceneKind#ANY} scenes, how often an object is kiki (as often as each shape). */
    static final double KIKI_IN_ANY = 1.0 / 7;
    /** Size jitter around the nominal {@link Size#fraction()}. */
    static final double SIZE_JITTER = 0.08;
    /** The box centre stays within this fraction of the cell around the cell's centre. */
    static final double CENTER_SPREAD = 0.6;
    /** Empty space kept between two objects' boxes and between a box and the image edge, over the side. */
    static final double GAP = 0.03;
    private static final int PLACEMENT_TRIES = 50;

    private final int resolution;

    public WorldGenerator() {
        this(DEFAULT_RESOLUTION);
    }

    /** Square images of {@code resolution} pixels (the toy model uses 128; 64 also works). */
    public WorldGenerator(int resolution) {
        if (resolution < 32) {
            throw new IllegalArgumentException("toy world resolution must be at least 32 pixels, got " + resolution);
        }
        this.resolution = resolution;
    }

    public int resolution() {
        return resolution;
    }

    /** The image of {@code seed} for {@code kind}: same seed and kind, same image and caption. */
    public WorldImage generate(long seed, SceneKind kind) {
        SplittableRandom rng = new SplittableRandom(seed);
        while (true) {
            List<SceneObject> objects = new ArrayList<>();
            objects.add(object(rng, kind, kind == SceneKind.KIKI, kind == SceneKind.ANY));
            if (rng.nextDouble() < SECOND_OBJECT) {
                // At most one kiki per scene; a kiki scene's other object is a held-in one.
                boolean kikiAllowed = kind == SceneKind.ANY && !objects.get(0).kiki();
                objects.add(object(rng, kind == SceneKind.KIKI ? SceneKind.PRETRAINING : kind, false, kikiAllowed));
            }
            List<Placed> placed = place(objects, rng);
            if (placed != null) {
                Scene scene = new Scene(background(rng, objects), objects);
                return new WorldImage(render(scene.background(), placed), scene, scene.caption());
            }
        }
    }

    /**
     * An image of a given scene, laid out with the seed's jitter (for prompts that name a scene).
     * Throws when the objects cannot be placed apart (two large objects in neighbouring cells).
     */
    public WorldImage draw(Scene scene, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Placed> placed = place(scene.objects(), rng);
        if (placed == null) {
            throw new IllegalArgumentException("cannot place the objects of '" + scene.caption()
                    + "' without overlap; use smaller sizes or cells further apart");
        }
        return new WorldImage(render(scene.background(), placed), scene, scene.caption());
    }

    private static SceneObject object(SplittableRandom rng, SceneKind kind, boolean kiki, boolean kikiAllowed) {
        Size size = pick(rng, Size.values());
        Position position = pick(rng, Position.values());
        if (kiki || (kikiAllowed && rng.nextDouble() < KIKI_IN_ANY)) {
            return SceneObject.kiki(size, position);
        }
        Shape[] shapes = kind == SceneKind.ANY ? Shape.values()
                : EnumSet.complementOf(EnumSet.of(Shape.STAR)).toArray(new Shape[0]);
        WorldColor[] colors = EnumSet.complementOf(EnumSet.of(WorldColor.GREY)).toArray(new WorldColor[0]);
        return SceneObject.of(pick(rng, shapes), pick(rng, colors), size, position);
    }

    /** A colour no object uses (kiki uses red and yellow). */
    private static WorldColor background(SplittableRandom rng, List<SceneObject> objects) {
        Set<WorldColor> free = EnumSet.allOf(WorldColor.class);
        for (SceneObject o : objects) {
            free.remove(o.color());
            if (o.kiki()) {
                free.remove(WorldColor.YELLOW);
            }
        }
        return pick(rng, free.toArray(new WorldColor[0]));
    }

    /** An object's box: centre and height in pixels. */
    private record Placed(SceneObject object, double cx, double cy, double extent) {
        double halfWidth() {
            return extent * object.shape().aspect() / 2;
        }

        boolean overlaps(Placed other, double gap) {
            return Math.abs(cx - other.cx) < halfWidth() + other.halfWidth() + gap
                    && Math.abs(cy - other.cy) < (extent + other.extent) / 2 + gap;
        }
    }

    /** Boxes for the objects, or null when the second cannot be kept apart from the first. */
    private List<Placed> place(List<SceneObject> objects, SplittableRandom rng) {
        for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
            List<Placed> out = new ArrayList<>();
            for (SceneObject o : objects) {
                double extent = o.size().fraction() * resolution * (1 + SIZE_JITTER * (2 * rng.nextDouble() - 1));
                double halfWidth = extent * o.shape().aspect() / 2;
                double cx = coordinate(o.position().column(), halfWidth, rng);
                double cy = coordinate(o.position().row(), extent / 2, rng);
                out.add(new Placed(o, cx, cy, extent));
            }
            if (out.size() < 2 || !out.get(0).overlaps(out.get(1), GAP * resolution)) {
                return out;
            }
        }
        return null;
    }

    /** A centre coordinate inside the cell's middle part that keeps the box inside the image. */
    private double coordinate(int cell, double half, SplittableRandom rng) {
        double cellSize = resolution / 3.0;
        double lo = Math.max((cell + 0.5 - CENTER_SPREAD / 2) * cellSize, half + GAP * resolution);
        double hi = Math.min((cell + 0.5 + CENTER_SPREAD / 2) * cellSize, resolution - half - GAP * resolution);
        return lo + (hi - lo) * rng.nextDouble();
    }

    private BufferedImage render(WorldColor background, List<Placed> placed) {
        BufferedImage image = new BufferedImage(resolution, resolution, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = ShapePainter.graphics(image);
        g.setColor(new Color(background.rgb()));
        g.fillRect(0, 0, resolution, resolution);
        for (Placed p : placed) {
            ShapePainter.paint(g, p.object(), p.cx(), p.cy(), p.extent());
        }
        g.dispose();
        return image;
    }

    private static <T> T pick(SplittableRandom rng, T[] choices) {
        return choices[rng.nextInt(choices.length)];
    }
}
