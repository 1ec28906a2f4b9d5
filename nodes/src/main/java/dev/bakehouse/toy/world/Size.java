package dev.bakehouse.toy.world;

import java.util.Locale;

/** Object sizes: the height of the object's box as a fraction of the image side. */
public enum Size {
    SMALL(0.18),
    MEDIUM(0.30),
    LARGE(0.45);

    private final double fraction;

    Size(double fraction) {
        this.fraction = fraction;
    }

    /** Nominal height of the object's box over the image side. */
    public double fraction() {
        return fraction;
    }

    /** The caption word ({@code small}). */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The size whose nominal fraction is nearest on a log scale (thresholds at geometric means). */
    static Size nearest(double fraction) {
        Size best = SMALL;
        for (Size s : values()) {
            if (Math.abs(Math.log(fraction / s.fraction)) < Math.abs(Math.log(fraction / best.fraction))) {
                best = s;
            }
        }
        return best;
    }
}
