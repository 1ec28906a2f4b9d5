package dev.bakehouse.lora.lbw;

import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a block weight vector as users type it: a number, or one of the letters the two
 * tools that read these vectors understand. The LoRA Block Weight extension (A1111) knows
 * {@code R} (random in [0, 1)), {@code U} (random in [-0.5, 1.5)) and {@code X}, {@code X+0.2},
 * {@code X-0.1} (the {@code x=} value of the tag, plus or minus an offset). The Inspire pack's
 * LoraLoaderBlockWeight (ComfyUI) knows {@code R} (random in [0, 3)), {@code U} (random in
 * [-1.5, 1.5)), {@code A}, {@code a} (A/2), {@code B}, {@code b} (B/2). Both round random draws
 * (the extension to 3 decimals, Inspire to 2).
 */
public sealed interface LbwEntry {
    /** Which tool's letters (and random ranges) apply. */
    enum Dialect {
        /** hako-mikan sd-webui-lora-block-weight: prompts and its preset file. */
        EXTENSION,
        /** ltdrdata ComfyUI-Inspire-Pack LoraLoaderBlockWeight. */
        INSPIRE
    }

    /**
     * What a letter resolves against.
     *
     * @param random draws for R and U
     * @param x      the extension's X (the tag's {@code x=} value, 1 when absent)
     * @param a      Inspire's A
     * @param b      Inspire's B
     */
    record Context(Dialect dialect, RandomGenerator random, float x, float a, float b) {}

    float resolve(Context context);

    record Fixed(float value) implements LbwEntry {
        @Override
        public float resolve(Context context) {
            return value;
        }
    }

    /** {@code R} (uniform) or {@code U} (uniform over a range reaching below 0). */
    record Random(boolean wide) implements LbwEntry {
        @Override
        public float resolve(Context c) {
            return c.dialect() == Dialect.EXTENSION
                    ? round(wide ? -0.5 + 2.0 * c.random().nextDouble() : c.random().nextDouble(), 1000)
                    : round(wide ? -1.5 + 3.0 * c.random().nextDouble() : 3.0 * c.random().nextDouble(), 100);
        }

        private static float round(double v, double scale) {
            return (float) (Math.rint(v * scale) / scale);
        }
    }

    /** The extension's {@code X}, {@code X+offset}, {@code X-offset}. */
    record Inherit(float offset) implements LbwEntry {
        @Override
        public float resolve(Context context) {
            return context.x() + offset;
        }
    }

    /** Inspire's {@code A}, {@code a}, {@code B}, {@code b}. */
    record Placeholder(char letter) implements LbwEntry {
        @Override
        public float resolve(Context c) {
            return switch (letter) {
                case 'A' -> c.a();
                case 'a' -> c.a() / 2;
                case 'B' -> c.b();
                default -> c.b() / 2;
            };
        }
    }

    Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    Pattern INHERIT = Pattern.compile("X(?:([+-])(\\d+\\.?\\d*|\\.\\d+))?");

    /**
     * One entry, trimmed; null if {@code dialect} does not know it (the caller names the vector).
     * The extension's letters are upper case; Inspire also takes {@code r}, {@code u}.
     */
    static LbwEntry parse(String token, Dialect dialect) {
        String t = token.strip();
        if (NUMBER.matcher(t).matches()) {
            return new Fixed(Float.parseFloat(t));
        }
        boolean inspire = dialect == Dialect.INSPIRE;
        String letters = inspire ? t.toUpperCase(Locale.ROOT) : t;
        if (letters.equals("R") || letters.equals("U")) {
            return new Random(letters.equals("U"));
        }
        if (inspire && t.length() == 1 && "AaBb".indexOf(t.charAt(0)) >= 0) {
            return new Placeholder(t.charAt(0));
        }
        Matcher x = INHERIT.matcher(t);
        if (!inspire && x.matches()) {
            float offset = x.group(1) == null ? 0f : Float.parseFloat(x.group(2));
            return new Inherit("-".equals(x.group(1)) ? -offset : offset);
        }
        return null;
    }

    /** What {@link #parse} accepts, for error messages. */
    static String expected(Dialect dialect) {
        return dialect == Dialect.EXTENSION ? "a number, R, U, X, X+n or X-n" : "a number, R, U, A, a, B or b";
    }
}
