package dev.bakehouse.toy.world;

import java.util.Locale;

/** The shapes of the toy world; {@code star} is held out of pretraining. */
public enum Shape {
    CIRCLE,
    SQUARE,
    TRIANGLE,
    CROSS,
    RING,
    STAR;

    /** The caption word ({@code circle}). */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Width over height of the box the shape fills (the five-pointed star is slightly wider than tall). */
    double aspect() {
        return this == STAR ? ShapePainter.STAR_ASPECT : 1.0;
    }
}
