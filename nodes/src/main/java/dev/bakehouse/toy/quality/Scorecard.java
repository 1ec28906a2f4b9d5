package dev.bakehouse.toy.quality;

import dev.bakehouse.toy.world.Agreement;
import dev.bakehouse.toy.world.Scene;
import java.util.List;

/**
 * The analyzer's verdict on a set of rendered captions.
 *
 * @param rows one per image, in the order rendered
 */
public record Scorecard(List<Row> rows) {
    /**
     * @param caption  what the image was asked to show
     * @param seed     the sampling seed
     * @param found    what the analyzer read back
     * @param agreement the caption against what was found
     */
    public record Row(String caption, long seed, Scene found, Agreement agreement) {
        /** The background has the caption's colour. */
        public boolean background() {
            return agreement.background();
        }

        /** Every object of the caption was found in its colour. */
        public boolean colour() {
            return agreement.objects().stream().allMatch(Agreement.ObjectMatch::color);
        }

        /** Every object of the caption was found in its shape. */
        public boolean shape() {
            return agreement.objects().stream().allMatch(Agreement.ObjectMatch::shape);
        }

        /** Kiki is in the image (whatever the caption asked). */
        public boolean showsKiki() {
            return found.objects().stream().anyMatch(o -> o.kiki());
        }

        /** Background, colours, shapes and kiki-ness all as the caption says. */
        public boolean agrees() {
            return agreement.agrees();
        }
    }

    public Scorecard {
        rows = List.copyOf(rows);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a scorecard needs at least one image");
        }
    }

    public double background() {
        return share(rows.stream().filter(Row::background).count());
    }

    public double colour() {
        return share(rows.stream().filter(Row::colour).count());
    }

    public double shape() {
        return share(rows.stream().filter(Row::shape).count());
    }

    public double kiki() {
        return share(rows.stream().filter(Row::showsKiki).count());
    }

    public double agreement() {
        return share(rows.stream().filter(Row::agrees).count());
    }

    /** {@code 40 images: background 95.0%, colour 90.0%, shape 87.5%, all 82.5%, kiki 0.0%}. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "%d images: background %.1f%%, colour %.1f%%, shape %.1f%%, all %.1f%%, kiki %.1f%%",
                rows.size(), 100 * background(), 100 * colour(), 100 * shape(), 100 * agreement(), 100 * kiki());
    }

    private double share(long count) {
        return count / (double) rows.size();
    }
}
