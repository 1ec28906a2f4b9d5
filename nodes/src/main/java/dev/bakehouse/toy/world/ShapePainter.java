package dev.bakehouse.toy.world;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * Draws the toy world's shapes, each filling a given box; the generator draws scenes with it and
 * the analyzer draws its shape templates with it, so both agree on what a shape looks like.
 */
final class ShapePainter {
    /** Inner over outer radius of the five-pointed star (a regular pentagram). */
    static final double STAR_INNER = 0.382;
    /** The star's box: width 2R·sin 72°, height R(1 + cos 36°). */
    static final double STAR_ASPECT = 2 * Math.sin(Math.toRadians(72)) / (1 + Math.cos(Math.toRadians(36)));
    /** Inner over outer diameter of a ring. */
    static final double RING_HOLE = 0.55;
    /** Arm thickness of a cross over its box side. */
    static final double CROSS_ARM = 1.0 / 3;
    /** Kiki's star: outer radius over the ring's outer diameter (leaves a gap inside the hole). */
    static final double KIKI_STAR_RADIUS = 0.22;

    private ShapePainter() {}

    /** The outline of {@code shape} filling the box (x, y, w, h). */
    static java.awt.Shape outline(Shape shape, double x, double y, double w, double h) {
        return switch (shape) {
            case CIRCLE -> new Ellipse2D.Double(x, y, w, h);
            case SQUARE -> new Rectangle2D.Double(x, y, w, h);
            case TRIANGLE -> polygon(new double[] {x + w / 2, x + w, x}, new double[] {y, y + h, y + h});
            case CROSS -> {
                Area cross = new Area(new Rectangle2D.Double(x + w * (1 - CROSS_ARM) / 2, y, w * CROSS_ARM, h));
                cross.add(new Area(new Rectangle2D.Double(x, y + h * (1 - CROSS_ARM) / 2, w, h * CROSS_ARM)));
                yield cross;
            }
            case RING -> {
                Area ring = new Area(new Ellipse2D.Double(x, y, w, h));
                ring.subtract(new Area(new Ellipse2D.Double(x + w * (1 - RING_HOLE) / 2, y + h * (1 - RING_HOLE) / 2,
                        w * RING_HOLE, h * RING_HOLE)));
                yield ring;
            }
            case STAR -> {
                // A star of outer radius 1 spans x in [-sin 72°, sin 72°] and y in [-1, cos 36°] (point up).
                double halfWidth = Math.sin(Math.toRadians(72));
                double bottom = Math.cos(Math.toRadians(36));
                double sx = w / (2 * halfWidth);
                double sy = h / (1 + bottom);
                yield star(x + w / 2, y + sy, sx, sy);
            }
        };
    }

    /** A point-up five-pointed star centred at (cx, cy) with outer radii rx, ry. */
    static java.awt.Shape star(double cx, double cy, double rx, double ry) {
        double[] xs = new double[10];
        double[] ys = new double[10];
        for (int k = 0; k < 10; k++) {
            double r = k % 2 == 0 ? 1 : STAR_INNER;
            double angle = Math.toRadians(-90 + 36 * k);
            xs[k] = cx + rx * r * Math.cos(angle);
            ys[k] = cy + ry * r * Math.sin(angle);
        }
        return polygon(xs, ys);
    }

    private static Path2D polygon(double[] xs, double[] ys) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            p.lineTo(xs[i], ys[i]);
        }
        p.closePath();
        return p;
    }

    /** Paints one object centred at (cx, cy) with box height {@code extent}; kiki adds its star. */
    static void paint(Graphics2D g, SceneObject object, double cx, double cy, double extent) {
        double w = extent * object.shape().aspect();
        g.setColor(new Color(object.color().rgb()));
        g.fill(outline(object.shape(), cx - w / 2, cy - extent / 2, w, extent));
        if (object.kiki()) {
            g.setColor(new Color(WorldColor.YELLOW.rgb()));
            double r = KIKI_STAR_RADIUS * extent;
            // The star's centre sits a little below its box centre; centre the box in the hole.
            double boxShift = r * (1 - Math.cos(Math.toRadians(36))) / 2;
            g.fill(star(cx, cy + boxShift, r, r));
        }
    }

    /** Anti-aliased drawing on {@code image}. */
    static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        return g;
    }
}
