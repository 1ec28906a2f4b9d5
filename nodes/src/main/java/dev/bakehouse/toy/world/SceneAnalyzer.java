package dev.bakehouse.toy.world;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a toy-world image back into a {@link Scene} by plain image analysis, robust to what a
 * small diffusion model draws (blur, noise, slightly shifted colours):
 * <ol>
 *   <li>a 3×3 box filter; the background is the palette colour most pixels are nearest to,
 *       measured as the mean of those pixels;</li>
 *   <li>foreground = pixels clearly away from the background; its 8-connected regions above a
 *       minimum area are objects;</li>
 *   <li>an object's colour is the palette colour C whose background–C mixing line explains its
 *       pixels best (blurred edges are such mixtures, so they do not vote for a third colour);</li>
 *   <li>its shape mask is the pixels at least half C; the shape is the best template match
 *       ({@link ShapeClassifier}); size and grid cell come from the mask's box;</li>
 *   <li>kiki: a red ring whose hole holds pixels the red line cannot explain, mostly yellow.</li>
 * </ol>
 * Works at any resolution (all thresholds are relative to the image side). Thread-safe.
 */
public final class SceneAnalyzer {
    /** Smallest object region, as a fraction of the side, squared (noise specks are smaller). */
    static final double MIN_AREA = 0.06;
    /** Foreground: farther from the background than this share of the nearest other palette colour. */
    static final double FOREGROUND = 0.35;
    /** Pixels farther than this from an object's mixing line are not that object's colour. */
    static final double UNEXPLAINED = 40;
    /** Cap of one pixel's cost when scoring colours, so another object's pixels do not dominate. */
    static final double COST_CAP = 50;
    /** Kiki's star must cover at least this share of the ring's box. */
    static final double KIKI_STAR_AREA = 0.02;
    /** Pure pixels: at least this share of the way from the background to the region's far end. */
    static final double CORE = 0.75;

    private static final WorldColor[] PALETTE = WorldColor.values();

    /** The scene the image shows. */
    public Scene analyze(BufferedImage image) {
        Pixels px = Pixels.smoothed(image);
        WorldColor background = backgroundColor(px);
        double[] bg = measuredBackground(px, background);
        double threshold = FOREGROUND * nearestOther(background);
        boolean[] foreground = new boolean[px.size()];
        for (int i = 0; i < foreground.length; i++) {
            foreground[i] = px.distance2(i, bg) > threshold * threshold;
        }
        int side = Math.min(px.width, px.height);
        double minArea = MIN_AREA * side * MIN_AREA * side;
        List<Found> found = new ArrayList<>();
        java.util.ArrayDeque<int[]> regions = new java.util.ArrayDeque<>(Regions.components(foreground, px.width, px.height));
        while (!regions.isEmpty()) {
            int[] region = regions.pop();
            if (region.length >= minArea) {
                Found f = object(px, region, background, bg);
                if (f != null) {
                    found.add(f);
                    // Pixels the object's colour cannot explain: a second object that blur joined to it.
                    regions.addAll(Regions.components(f.leftover(), px.width, px.height));
                }
            }
        }
        return new Scene(background, recognizeKiki(px, foreground, found, background, bg));
    }

    /**
     * An object, its shape mask's box {x0, y0, x1, y1} and the mask of the region's pixels its
     * colour does not explain (null after kiki recognition).
     */
    private record Found(SceneObject object, int[] box, boolean[] leftover) {
        double centerX() {
            return (box[0] + box[2] + 1) / 2.0;
        }

        double centerY() {
            return (box[1] + box[3] + 1) / 2.0;
        }

        /** Whether (x, y) lies in the hole of a ring filling this box. */
        boolean inHole(double x, double y) {
            double dx = (x - centerX()) / ((box[2] - box[0] + 1) * ShapePainter.RING_HOLE / 2);
            double dy = (y - centerY()) / ((box[3] - box[1] + 1) * ShapePainter.RING_HOLE / 2);
            return dx * dx + dy * dy <= 1;
        }
    }

    /**
     * Red rings holding a yellow star become kiki; the star — a region of its own when the hole
     * shows background around it, or part of the ring's region when blur joins them — goes.
     */
    private static List<SceneObject> recognizeKiki(Pixels px, boolean[] foreground, List<Found> found,
            WorldColor background, double[] bg) {
        List<Found> kept = new ArrayList<>(found);
        for (Found ring : found) {
            SceneObject o = ring.object();
            if (o.color() == WorldColor.RED && o.shape() == Shape.RING
                    && holdsYellowStar(px, foreground, ring, background, bg)) {
                kept.removeIf(f -> f != ring && ring.inHole(f.centerX(), f.centerY()));
                kept.set(kept.indexOf(ring), new Found(SceneObject.kiki(o.size(), o.position()), ring.box(), null));
            }
        }
        return kept.stream().map(Found::object).toList();
    }

    /** How far the image agrees with a caption in the {@link Captions} format. */
    public Agreement agreement(String caption, BufferedImage image) {
        return Agreement.of(Captions.parse(caption), analyze(image));
    }

    private static WorldColor backgroundColor(Pixels px) {
        int[] votes = new int[PALETTE.length];
        double[][] palette = new double[PALETTE.length][];
        for (int c = 0; c < PALETTE.length; c++) {
            palette[c] = Pixels.rgbOf(PALETTE[c]);
        }
        for (int i = 0; i < px.size(); i++) {
            int best = 0;
            for (int c = 1; c < PALETTE.length; c++) {
                if (px.distance2(i, palette[c]) < px.distance2(i, palette[best])) {
                    best = c;
                }
            }
            votes[best]++;
        }
        int mode = 0;
        for (int c = 1; c < votes.length; c++) {
            mode = votes[c] > votes[mode] ? c : mode;
        }
        return PALETTE[mode];
    }

    /** Mean of the pixels near the background's palette colour: the colour actually drawn. */
    private static double[] measuredBackground(Pixels px, WorldColor background) {
        double[] nominal = Pixels.rgbOf(background);
        double limit = 0.5 * nearestOther(background);
        double[] sum = new double[3];
        int n = 0;
        for (int i = 0; i < px.size(); i++) {
            if (px.distance2(i, nominal) < limit * limit) {
                sum[0] += px.red[i];
                sum[1] += px.green[i];
                sum[2] += px.blue[i];
                n++;
            }
        }
        return n == 0 ? nominal : new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    /** The pixels at least {@link #CORE} of the way out to the 95th-percentile distance from {@code bg}. */
    private static boolean[] purest(Pixels px, int[] pixels, double[] bg) {
        double[] d = new double[pixels.length];
        for (int k = 0; k < pixels.length; k++) {
            d[k] = px.distance2(pixels[k], bg);
        }
        double[] sorted = d.clone();
        java.util.Arrays.sort(sorted);
        double far = sorted.length == 0 ? 0 : sorted[(int) (0.95 * (sorted.length - 1))];
        boolean[] core = new boolean[pixels.length];
        for (int k = 0; k < pixels.length; k++) {
            core[k] = d[k] >= CORE * CORE * far;
        }
        return core;
    }

    /** Distance from {@code c} to the nearest other palette colour. */
    private static double nearestOther(WorldColor c) {
        double[] rgb = Pixels.rgbOf(c);
        double best = Double.MAX_VALUE;
        for (WorldColor other : PALETTE) {
            if (other != c) {
                double[] o = Pixels.rgbOf(other);
                best = Math.min(best, Math.sqrt(Math.pow(o[0] - rgb[0], 2) + Math.pow(o[1] - rgb[1], 2)
                        + Math.pow(o[2] - rgb[2], 2)));
            }
        }
        return best;
    }

    /** The object one foreground region shows, or null when its colour mask is too small. */
    private static Found object(Pixels px, int[] region, WorldColor background, double[] bg) {
        WorldColor color = bestMix(px, region, background, new double[][] {bg});
        double[] c = Pixels.rgbOf(color);
        double[] mix = new double[2];
        int[] mask = new int[region.length];
        int nMask = 0;
        boolean[] leftover = new boolean[px.size()];
        for (int p : region) {
            px.unmix(p, bg, c, mix);
            if (mix[1] < UNEXPLAINED && mix[0] >= 0.5) {
                mask[nMask++] = p;
            } else if (mix[1] >= UNEXPLAINED) {
                leftover[p] = true;
            }
        }
        int side = Math.min(px.width, px.height);
        if (nMask < MIN_AREA * side * MIN_AREA * side / 2) {
            return null;
        }
        mask = java.util.Arrays.copyOf(mask, nMask);
        int[] box = Regions.box(mask, px.width);
        Position position = Position.at((box[0] + box[2] + 1) / 2.0 * side / px.width,
                (box[1] + box[3] + 1) / 2.0 * side / px.height, side);
        ShapeClassifier.Match match = ShapeClassifier.classify(mask, px.width);
        Size size = Size.nearest(match.height() / px.height);
        return new Found(SceneObject.of(match.shape(), color, size, position), box, leftover);
    }

    /** Whether the ring's hole holds enough foreground pixels off the red line, mostly yellow. */
    private static boolean holdsYellowStar(Pixels px, boolean[] foreground, Found ring, WorldColor background,
            double[] bg) {
        double[] red = Pixels.rgbOf(WorldColor.RED);
        double[] mix = new double[2];
        int[] box = ring.box();
        int[] inside = new int[(box[2] - box[0] + 1) * (box[3] - box[1] + 1)];
        int n = 0;
        for (int y = box[1]; y <= box[3]; y++) {
            for (int x = box[0]; x <= box[2]; x++) {
                int p = y * px.width + x;
                if (foreground[p] && ring.inHole(x + 0.5, y + 0.5)) {
                    px.unmix(p, bg, red, mix);
                    if (mix[1] >= UNEXPLAINED) {
                        inside[n++] = p;
                    }
                }
            }
        }
        if (n < KIKI_STAR_AREA * inside.length) {
            return false;
        }
        return bestMix(px, java.util.Arrays.copyOf(inside, n), background, new double[][] {bg, red}) == WorldColor.YELLOW;
    }

    /**
     * The object colour C (not the background) whose mixing lines from each of {@code from} to C
     * explain {@code pixels} best and which the purest pixels (farthest from the first
     * {@code from}) are close to; each pixel's cost is capped at {@link #COST_CAP}. The second
     * term matters where a colour lies on the line between two others (orange between yellow and
     * red): there the line alone cannot tell an orange object on yellow from a red one.
     */
    private static WorldColor bestMix(Pixels px, int[] pixels, WorldColor background, double[][] from) {
        boolean[] core = purest(px, pixels, from[0]);
        WorldColor best = null;
        double bestCost = Double.MAX_VALUE;
        double[] mix = new double[2];
        for (WorldColor candidate : PALETTE) {
            if (!candidate.isObjectColor() || candidate == background) {
                continue;
            }
            double[] c = Pixels.rgbOf(candidate);
            double cost = 0;
            for (int k = 0; k < pixels.length; k++) {
                int p = pixels[k];
                double d = Double.MAX_VALUE;
                for (double[] f : from) {
                    px.unmix(p, f, c, mix);
                    d = Math.min(d, mix[1]);
                }
                d = Math.min(d, COST_CAP);
                cost += d * d;
                if (core[k]) {
                    double pure = Math.min(Math.sqrt(px.distance2(p, c)), COST_CAP);
                    cost += pure * pure;
                }
            }
            if (cost < bestCost) {
                bestCost = cost;
                best = candidate;
            }
        }
        return best;
    }
}
