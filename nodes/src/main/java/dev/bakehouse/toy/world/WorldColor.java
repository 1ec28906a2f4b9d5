package dev.bakehouse.toy.world;

import java.util.Locale;

/** The toy world's palette: eight object colours, plus grey, which only backgrounds use. */
public enum WorldColor {
    RED(220, 40, 40),
    GREEN(40, 180, 60),
    BLUE(40, 80, 220),
    YELLOW(240, 210, 40),
    PURPLE(150, 60, 200),
    ORANGE(250, 140, 30),
    WHITE(245, 245, 245),
    BLACK(20, 20, 20),
    GREY(128, 128, 128);

    private final int red;
    private final int green;
    private final int blue;

    WorldColor(int red, int green, int blue) {
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    public int red() {
        return red;
    }

    public int green() {
        return green;
    }

    public int blue() {
        return blue;
    }

    /** 0xRRGGBB. */
    public int rgb() {
        return red << 16 | green << 8 | blue;
    }

    /** Whether objects may have this colour (every palette colour but grey). */
    public boolean isObjectColor() {
        return this != GREY;
    }

    /** The caption word ({@code red}, {@code grey}). */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
