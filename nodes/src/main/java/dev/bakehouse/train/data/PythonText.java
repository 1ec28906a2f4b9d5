package dev.bakehouse.train.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The few Python {@code str} operations kohya's caption code relies on, with Python's meaning:
 * {@code strip()} removes Unicode whitespace as {@code str.isspace} defines it (U+00A0, U+3000,
 * U+2003 … included, which Java's {@code String.strip} partly misses), and {@code split(sep)}
 * keeps every empty part.
 */
final class PythonText {
    private PythonText() {}

    /** Python's {@code str.isspace} for one code point. */
    static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0b, '\f', '\r', 0x1c, 0x1d, 0x1e, 0x1f, ' ', 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f,
                    0x205f, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200a;
        };
    }

    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** {@code s.split(sep)} for a non-empty literal separator: n separators give n + 1 parts. */
    static List<String> split(String s, String sep) {
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("caption_separator: must not be empty");
        }
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, from)) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    /** {@code s.split(sep, 1)}: the text before the first separator and the rest (sep must occur). */
    static String[] splitOnce(String s, String sep) {
        int at = s.indexOf(sep);
        return new String[] {s.substring(0, at), s.substring(at + sep.length())};
    }
}
