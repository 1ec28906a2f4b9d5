package dev.bakehouse.toy.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionsTest {
    @Test
    void of_oneObject_isIssueFormat() {
        Scene scene = new Scene(WorldColor.BLUE,
                List.of(SceneObject.of(Shape.CIRCLE, WorldColor.RED, Size.LARGE, Position.TOP_LEFT)));
        assertEquals("red circle, blue background, large, top_left", Captions.of(scene));
    }

    @Test
    void of_twoObjects_kikiFirstThenReadingOrder() {
        SceneObject square = SceneObject.of(Shape.SQUARE, WorldColor.GREEN, Size.SMALL, Position.TOP_RIGHT);
        SceneObject cross = SceneObject.of(Shape.CROSS, WorldColor.WHITE, Size.MEDIUM, Position.BOTTOM_LEFT);
        SceneObject kiki = SceneObject.kiki(Size.MEDIUM, Position.BOTTOM_RIGHT);
        assertEquals("green square, grey background, small, top_right, white cross, medium, bottom_left",
                Captions.of(new Scene(WorldColor.GREY, List.of(cross, square))));
        assertEquals("kiki, grey background, medium, bottom_right, green square, small, top_right",
                Captions.of(new Scene(WorldColor.GREY, List.of(square, kiki))));
    }

    @Test
    void parse_generatedCaptions_roundTrip() {
        WorldGenerator generator = new WorldGenerator();
        for (long seed = 0; seed < 300; seed++) {
            WorldImage w = generator.generate(seed, SceneKind.ANY);
            assertEquals(w.scene(), Captions.parse(w.caption()), w.caption());
        }
        assertEquals(Captions.parse("red circle, blue background, large, top_left"),
                Captions.parse(" red circle ,blue background,large,  top_left "));
    }

    @Test
    void parse_badTags_nameTagAndExpectation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Captions.parse("red circel, blue background, large, top_left"));
        assertTrue(e.getMessage().contains("tag 'red circel'") && e.getMessage().contains("a shape"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Captions.parse("red circle, large, top_left"));
        assertTrue(e.getMessage().contains("no '<colour> background'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Captions.parse("red circle, blue background, top_left"));
        assertTrue(e.getMessage().contains("tag 'red circle'") && e.getMessage().contains("a size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Captions.parse("grey circle, blue background, small, center"));
        assertTrue(e.getMessage().contains("backgrounds only"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Captions.parse("red circle, red background, small, center"));
        assertTrue(e.getMessage().contains("background's colour"), e.getMessage());
    }

    @Test
    void sceneObject_kikiOtherThanRedRing_isRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new SceneObject(Shape.STAR, WorldColor.YELLOW, Size.SMALL, Position.CENTER, true));
    }
}
