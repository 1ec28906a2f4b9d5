package dev.bakehouse.node.gachamax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverfitScoreTest {
    private static BufferedImage plain(Color colour, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, size, size);
        g.dispose();
        return image;
    }

    @Test
    void overfit_probeEqualToATrainingImage_hasClosenessOneMinusFollowing() {
        BufferedImage grey = plain(new Color(128, 128, 128), 64);
        RoundScores s = OverfitScore.of(List.of(plain(new Color(128, 128, 128), 128)),
                List.of(plain(Color.WHITE, 64), grey), List.of(0.25), List.of(true));

        assertEquals(1.0, s.closeness(), 1e-9);
        assertEquals(0.25, s.promptFollowing(), 1e-12);
        assertEquals(0.25, s.triggerAgreement(), 1e-12);
        assertEquals(0.75, s.overfit(), 1e-9);
    }

    @Test
    void overfit_closenessIsOneMinusRmsToTheNearestImage_andFollowingAveragesAllPrompts() {
        // black vs white differs by 1 in every channel; black vs (51,51,51) by 0.2
        RoundScores s = OverfitScore.of(List.of(plain(Color.BLACK, 32), plain(Color.WHITE, 32)),
                List.of(plain(new Color(51, 51, 51), 32)), List.of(1.0, 0.5), List.of(true, false));

        assertEquals(((1 - 0.2) + (1 - 0.8)) / 2, s.closeness(), 1e-6);
        assertEquals(0.75, s.promptFollowing(), 1e-12);
        assertEquals(1.0, s.triggerAgreement(), 1e-12);
        assertEquals(s.closeness() - 0.75, s.overfit(), 1e-12);
    }

    @Test
    void overfit_withoutScorer_knowsClosenessOnly() {
        RoundScores s = OverfitScore.of(List.of(plain(Color.RED, 32)), List.of(plain(Color.RED, 32)), null, List.of(false));

        assertEquals(1.0, s.closeness(), 1e-9);
        assertNull(s.promptFollowing());
        assertNull(s.overfit());
    }
}
