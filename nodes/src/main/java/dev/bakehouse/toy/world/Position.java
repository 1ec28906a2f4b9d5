package dev.bakehouse.toy.world;

import java.util.Locale;

/** The 3×3 grid cell holding an object's centre, in reading order. */
public enum Position {
    TOP_LEFT,
    TOP_CENTER,
    TOP_RIGHT,
    MIDDLE_LEFT,
    CENTER,
    MIDDLE_RIGHT,
    BOTTOM_LEFT,
    BOTTOM_CENTER,
    BOTTOM_RIGHT;

    /** 0 (top) to 2 (bottom). */
    public int row() {
        return ordinal() / 3;
    }

    /** 0 (left) to 2 (right). */
    public int column() {
        return ordinal() % 3;
    }

    public static Position of(int row, int column) {
        if (row < 0 || row > 2 || column < 0 || column > 2) {
            throw new IllegalArgumentException("grid cell (" + row + ", " + column + ") outside the 3×3 grid");
        }
        return values()[row * 3 + column];
    }

    /** The cell holding point (x, y) of a square image of side {@code side}. */
    static Position at(double x, double y, int side) {
        int column = Math.min(2, Math.max(0, (int) Math.floor(3 * x / side)));
        int row = Math.min(2, Math.max(0, (int) Math.floor(3 * y / side)));
        return of(row, column);
    }

    /** The caption word ({@code top_left}). */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
