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

    /**
     * Python's {@code int(text)} for base-10 text: surrounding whitespace, one sign, digits
     * (leading zeros and single underscores between digits allowed). Null where Python raises
     * {@code ValueError}; values beyond a long saturate.
     */
    static Long parseInt(String text) {
        String s = strip(text);
        int i = 0;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        if (i >= s.length()) {
            return null;
        }
        long value = 0;
        boolean lastDigit = false;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '_' && lastDigit && i < s.length()) {
                lastDigit = false;
                continue;
            }
            if (!Character.isDigit(cp)) {
                return null;
            }
            lastDigit = true;
            value = value > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : value * 10 + Character.digit(cp, 10);
        }
        return lastDigit ? (negative ? -value : value) : null;
    }

    /** Python's string order: by code point (Java's {@code compareTo} orders UTF-16 units). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
