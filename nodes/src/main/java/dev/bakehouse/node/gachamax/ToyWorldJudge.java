package dev.bakehouse.node.gachamax;

import dev.bakehouse.toy.world.Agreement;
import dev.bakehouse.toy.world.SceneAnalyzer;
import java.awt.image.BufferedImage;

/**
 * Scores a generated image against its prompt with the toy world's scene analyzer: the share of
 * the caption's facts the image shows. The facts are the background and, for each object of the
 * caption, that it is (or is not) kiki, its colour and its shape — what
 * {@link Agreement#agrees()} checks — so an image that agrees fully scores 1 and one showing
 * none of it 0. Prompts must be toy-world captions ({@link dev.bakehouse.toy.world.Captions}).
 */
final class ToyWorldJudge {
    private final SceneAnalyzer analyzer = new SceneAnalyzer();

    double score(String prompt, BufferedImage image) {
        Agreement a;
        try {
            a = analyzer.agreement(prompt, image);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GACHAMAX: the toy-world analyzer scores toy-world captions only; "
                    + e.getMessage(), e);
        }
        int facts = 1;
        int shown = a.background() ? 1 : 0;
        for (Agreement.ObjectMatch m : a.objects()) {
            facts += 3;
            shown += (m.kiki() ? 1 : 0) + (m.color() ? 1 : 0) + (m.shape() ? 1 : 0);
        }
        return (double) shown / facts;
    }
}
