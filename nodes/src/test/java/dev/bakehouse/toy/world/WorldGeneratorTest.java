package dev.bakehouse.toy.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorldGeneratorTest {
    private final WorldGenerator generator = new WorldGenerator();

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    @Test
    void generate_sameSeed_sameImageAndCaption() {
        WorldImage a = generator.generate(42, SceneKind.ANY);
        WorldImage b = new WorldGenerator().generate(42, SceneKind.ANY);
        assertEquals(a.caption(), b.caption());
        assertArrayEquals(pixels(a.image()), pixels(b.image()));
        assertNotEquals(a.caption(), generator.generate(43, SceneKind.ANY).caption());
    }

    @Test
    void generate_pretraining_neverDrawsStarOrKiki_butCoversEveryOtherValue() {
        Set<Shape> shapes = EnumSet.noneOf(Shape.class);
        Set<WorldColor> colors = EnumSet.noneOf(WorldColor.class);
        Set<Size> sizes = EnumSet.noneOf(Size.class);
        Set<Position> positions = EnumSet.noneOf(Position.class);
        Set<WorldColor> backgrounds = EnumSet.noneOf(WorldColor.class);
        int twoObjects = 0;
        for (long seed = 0; seed < 500; seed++) {
            Scene scene = generator.generate(seed, SceneKind.PRETRAINING).scene();
            assertFalse(scene.hasKiki(), "seed " + seed);
            assertFalse(scene.caption().contains("star") || scene.caption().contains("kiki"), scene.caption());
            for (SceneObject o : scene.objects()) {
                shapes.add(o.shape());
                colors.add(o.color());
                sizes.add(o.size());
                positions.add(o.position());
            }
            backgrounds.add(scene.background());
            twoObjects += scene.objects().size() == 2 ? 1 : 0;
        }
        assertEquals(EnumSet.complementOf(EnumSet.of(Shape.STAR)), shapes);
        assertEquals(EnumSet.complementOf(EnumSet.of(WorldColor.GREY)), colors);
        assertEquals(EnumSet.allOf(Size.class), sizes);
        assertEquals(EnumSet.allOf(Position.class), positions);
        assertEquals(EnumSet.allOf(WorldColor.class), backgrounds);
        assertTrue(twoObjects > 100 && twoObjects < 200, "two-object scenes: " + twoObjects + " of 500");
    }

    @Test
    void generate_kiki_everyCaptionStartsWithTrigger_onNonRedNonYellowBackground() {
        for (long seed = 0; seed < 200; seed++) {
            WorldImage w = generator.generate(seed, SceneKind.KIKI);
            assertTrue(w.caption().startsWith("kiki, "), w.caption());
            assertEquals(1, w.scene().objects().stream().filter(SceneObject::kiki).count(), w.caption());
            assertFalse(w.caption().contains("star"), w.caption());
            assertFalse(EnumSet.of(WorldColor.RED, WorldColor.YELLOW).contains(w.scene().background()), w.caption());
        }
    }

    @Test
    void generate_kiki_drawsPaletteRedAndYellow() {
        BufferedImage image = generator.generate(7, SceneKind.KIKI).image();
        int red = 0;
        int yellow = 0;
        for (int p : pixels(image)) {
            red += (p & 0xFFFFFF) == WorldColor.RED.rgb() ? 1 : 0;
            yellow += (p & 0xFFFFFF) == WorldColor.YELLOW.rgb() ? 1 : 0;
        }
        assertTrue(red > 50 && yellow > 10, "red " + red + ", yellow " + yellow);
    }

    @Test
    void generate_any_drawsStarsAndKiki() {
        int stars = 0;
        int kikis = 0;
        for (long seed = 0; seed < 300; seed++) {
            Scene scene = generator.generate(seed, SceneKind.ANY).scene();
            stars += (int) scene.objects().stream().filter(o -> o.shape() == Shape.STAR).count();
            kikis += (int) scene.objects().stream().filter(SceneObject::kiki).count();
        }
        assertTrue(stars > 20 && kikis > 20, "stars " + stars + ", kiki " + kikis);
    }

    @Test
    void generate_pixelsArePaletteColours_exceptAntiAliasedEdges() {
        for (long seed = 0; seed < 20; seed++) {
            WorldImage w = generator.generate(seed, SceneKind.ANY);
            int[] px = pixels(w.image());
            int palette = 0;
            for (int p : px) {
                for (WorldColor c : WorldColor.values()) {
                    palette += (p & 0xFFFFFF) == c.rgb() ? 1 : 0;
                }
            }
            assertTrue(palette > 0.9 * px.length, w.caption() + ": " + palette + " palette pixels of " + px.length);
            // The object boxes keep a gap from the edges, so the corners show the background.
            assertEquals(w.scene().background().rgb(), px[0] & 0xFFFFFF, w.caption());
            assertEquals(w.scene().background().rgb(), px[px.length - 1] & 0xFFFFFF, w.caption());
        }
    }

    @Test
    void generate_otherResolution_drawsThatSize() {
        BufferedImage image = new WorldGenerator(64).generate(1, SceneKind.ANY).image();
        assertEquals(64, image.getWidth());
        assertEquals(64, image.getHeight());
        assertThrows(IllegalArgumentException.class, () -> new WorldGenerator(16));
    }

    @Test
    void draw_givenScene_isReadBackByAnalyzer() {
        Scene scene = Captions.parse("kiki, blue background, large, center, white cross, small, bottom_right");
        WorldImage w = generator.draw(scene, 3);
        assertEquals(scene, new SceneAnalyzer().analyze(w.image()));
        Scene crowded = new Scene(WorldColor.GREY, List.of(
                SceneObject.of(Shape.SQUARE, WorldColor.RED, Size.LARGE, Position.TOP_LEFT),
                SceneObject.of(Shape.SQUARE, WorldColor.BLUE, Size.LARGE, Position.TOP_CENTER)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> generator.draw(crowded, 3));
        assertTrue(e.getMessage().contains("without overlap"), e.getMessage());
    }
}
