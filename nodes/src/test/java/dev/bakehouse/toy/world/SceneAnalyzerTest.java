package dev.bakehouse.toy.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SceneAnalyzerTest {
    /** Roughly what a small diffusion model's output looks like next to a clean drawing. */
    static final Degradation MODEL_LIKE = new Degradation(1.5, 10, 15);
    private static final int IMAGES = 300;

    private final WorldGenerator generator = new WorldGenerator();
    private final SceneAnalyzer analyzer = new SceneAnalyzer();

    @Test
    void analyze_cleanImages_recoverEveryScene() {
        for (long seed = 0; seed < 150; seed++) {
            WorldImage w = generator.generate(seed, SceneKind.ANY);
            assertEquals(w.caption(), analyzer.analyze(w.image()).caption(), "seed " + seed);
        }
    }

    /** Per-attribute hit counts over all generated objects. */
    private static final class Tally {
        int images;
        int backgrounds;
        int sceneCounts;
        int objects;
        int color;
        int shape;
        int size;
        int position;
        int kikiFlag;
        int kikiObjects;
        int kikiFound;
        int exactScenes;

        void add(Scene truth, Scene found) {
            images++;
            Agreement a = Agreement.of(truth, found);
            backgrounds += a.background() ? 1 : 0;
            sceneCounts += truth.objects().size() == found.objects().size() ? 1 : 0;
            exactScenes += truth.equals(found) ? 1 : 0;
            for (Agreement.ObjectMatch m : a.objects()) {
                objects++;
                color += m.color() ? 1 : 0;
                shape += m.shape() ? 1 : 0;
                size += m.size() ? 1 : 0;
                position += m.position() ? 1 : 0;
                kikiFlag += m.kiki() ? 1 : 0;
                if (m.expected().kiki()) {
                    kikiObjects++;
                    kikiFound += m.kiki() ? 1 : 0;
                }
            }
        }

        String report() {
            return String.format("analyzer on %d generated images (blur %.1f px, noise %.0f, colour shift ±%.0f): "
                    + "background %.1f%%, object count %.1f%%, exact scene %.1f%%; %d objects: colour %.1f%%, "
                    + "shape %.1f%%, size %.1f%%, position %.1f%%, kiki flag %.1f%%; kiki found %d of %d",
                    images, MODEL_LIKE.blurSigma(), MODEL_LIKE.noiseSigma(), MODEL_LIKE.maxShift(),
                    pct(backgrounds, images), pct(sceneCounts, images), pct(exactScenes, images), objects,
                    pct(color, objects), pct(shape, objects), pct(size, objects), pct(position, objects),
                    pct(kikiFlag, objects), kikiFound, kikiObjects);
        }

        static double pct(int hits, int of) {
            return 100.0 * hits / of;
        }
    }

    @Test
    void analyze_blurredNoisyShiftedImages_meetsAccuracyTargets() {
        Tally tally = new Tally();
        for (long seed = 0; seed < IMAGES; seed++) {
            WorldImage w = generator.generate(10_000 + seed, SceneKind.ANY);
            tally.add(w.scene(), analyzer.analyze(MODEL_LIKE.apply(w.image(), seed)));
        }
        System.out.println(tally.report());
        assertTrue(tally.color >= 0.98 * tally.objects, tally.report());
        assertTrue(tally.shape >= 0.95 * tally.objects, tally.report());
        assertTrue(tally.backgrounds >= 0.98 * tally.images, tally.report());
        assertTrue(tally.position >= 0.95 * tally.objects, tally.report());
        assertTrue(tally.size >= 0.90 * tally.objects, tally.report());
        assertTrue(tally.kikiFound >= 0.90 * tally.kikiObjects && tally.kikiObjects >= 30, tally.report());
    }

    @Test
    void analyze_blankImage_findsBackgroundOnly() {
        BufferedImage image = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(WorldColor.GREY.rgb()));
        g.fillRect(0, 0, 128, 128);
        g.dispose();
        Scene scene = analyzer.analyze(MODEL_LIKE.apply(image, 1));
        assertEquals(WorldColor.GREY, scene.background());
        assertEquals(List.of(), scene.objects());
    }

    @Test
    void analyze_ringWithoutStar_isNotKiki_andStarAloneIsStar() {
        Scene ring = Captions.parse("red ring, green background, large, center");
        Scene kiki = Captions.parse("kiki, green background, large, center");
        Scene star = Captions.parse("yellow star, green background, medium, center");
        for (Scene s : List.of(ring, kiki, star)) {
            assertEquals(s, analyzer.analyze(MODEL_LIKE.apply(generator.draw(s, 5).image(), 5)), s.caption());
        }
    }

    @Test
    void agreement_countsColourShapeKikiAndBackground_notLayout() {
        Scene want = Captions.parse("kiki, blue background, large, top_left, white cross, small, bottom_right");
        BufferedImage drawn = generator.draw(want, 1).image();
        Agreement same = analyzer.agreement(want.caption(), drawn);
        assertTrue(same.agrees() && same.agreesWithLayout(), same.toString());

        Agreement moved = analyzer.agreement("kiki, blue background, small, center, white cross, small, bottom_right", drawn);
        assertTrue(moved.agrees(), moved.toString());
        assertFalse(moved.agreesWithLayout(), moved.toString());
        assertFalse(moved.objects().get(0).position() || moved.objects().get(0).size(), moved.toString());

        Agreement recoloured = analyzer.agreement("kiki, blue background, large, top_left, black cross, small, bottom_right", drawn);
        assertFalse(recoloured.agrees(), recoloured.toString());
        assertTrue(recoloured.objects().get(1).shape() && !recoloured.objects().get(1).color(), recoloured.toString());

        Agreement plainRing = analyzer.agreement("kiki, blue background, large, top_left",
                generator.draw(Captions.parse("red ring, blue background, large, top_left"), 1).image());
        assertFalse(plainRing.agrees(), plainRing.toString());
        assertTrue(plainRing.objects().get(0).color() && plainRing.objects().get(0).shape(), plainRing.toString());

        Agreement extra = analyzer.agreement("white cross, blue background, small, bottom_right", drawn);
        assertTrue(extra.agrees(), extra.toString());
        assertEquals(1, extra.unexpected());
        assertFalse(extra.agreesWithLayout());

        Agreement wrongBackground = analyzer.agreement("kiki, grey background, large, top_left", drawn);
        assertFalse(wrongBackground.agrees() || wrongBackground.background(), wrongBackground.toString());
    }
}
