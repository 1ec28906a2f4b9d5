package dev.bakehouse.node.gachamax;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A round's over-fit score, from its probe images (the round's LoRA at strength 1 on each probe
 * prompt):
 * <pre>
 *   closeness C  = mean over probe images p of  max over training images t of  1 - rms(p, t)
 *   following F  = mean over probe prompts of the scorer's agreement with the prompt (0..1)
 *   overfit   O  = C - F                                                  (-1..1)
 * </pre>
 * where {@code rms} is the root mean square difference of the RGB values (0..1) of both images
 * reduced to {@value #SIDE}x{@value #SIDE}. A LoRA that learned its concept follows its probe
 * prompts, those with the trigger and those without (F high), while it draws new scenes (C
 * moderate); one that over-fits paints its training images whatever the prompt asks (C near 1,
 * F low), so O rises. With no scorer only C is known.
 */
final class OverfitScore {
    static final int SIDE = 32;

    private OverfitScore() {}

    /**
     * @param agreements the scorer's agreement per probe prompt, or null without a scorer
     * @param triggered  which probe prompts hold the trigger (same order as {@code agreements})
     */
    static RoundScores of(List<BufferedImage> probes, List<BufferedImage> training, List<Double> agreements,
                          List<Boolean> triggered) {
        if (probes.isEmpty() || training.isEmpty()) {
            throw new IllegalArgumentException("over-fit score: needs probe images and training images, found "
                    + probes.size() + " and " + training.size());
        }
        List<float[]> train = training.stream().map(OverfitScore::reduce).toList();
        double closeness = 0;
        for (BufferedImage probe : probes) {
            float[] p = reduce(probe);
            double best = 0;
            for (float[] t : train) {
                best = Math.max(best, 1 - rms(p, t));
            }
            closeness += best;
        }
        closeness /= probes.size();
        if (agreements == null) {
            return new RoundScores(closeness, null, null, null);
        }
        double following = agreements.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double withTrigger = 0;
        int count = 0;
        for (int i = 0; i < agreements.size(); i++) {
            if (triggered.get(i)) {
                withTrigger += agreements.get(i);
                count++;
            }
        }
        return new RoundScores(closeness, following, count == 0 ? null : withTrigger / count, closeness - following);
    }

    /** RGB in 0..1 of the image scaled to SIDE x SIDE (bilinear). */
    static float[] reduce(BufferedImage image) {
        BufferedImage small = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, SIDE, SIDE, null);
        g.dispose();
        float[] rgb = new float[SIDE * SIDE * 3];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int c = small.getRGB(x, y);
                int i = (y * SIDE + x) * 3;
                rgb[i] = ((c >> 16) & 0xFF) / 255f;
                rgb[i + 1] = ((c >> 8) & 0xFF) / 255f;
                rgb[i + 2] = (c & 0xFF) / 255f;
            }
        }
        return rgb;
    }

    private static double rms(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum / a.length);
    }
}
