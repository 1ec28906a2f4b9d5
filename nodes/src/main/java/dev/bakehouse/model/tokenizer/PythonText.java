package dev.bakehouse.model.tokenizer;

/**
 * Character classes and string helpers with the exact meaning the Python tokenizers give them.
 *
 * <p>Java's own {@code \s}, {@link Character#isWhitespace} and {@link String#strip} use different
 * sets, and a different set changes token ids, so every reference tokenizer's notion of "space"
 * is spelled out here once.
 */
final class PythonText {
    private PythonText() {}

    /** Unicode property White_Space: what the {@code regex} module's {@code \s} matches. */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /** Python {@code str.isspace()}: White_Space plus the separators U+001C..U+001F. */
    static boolean isPythonSpace(int cp) {
        return isWhiteSpace(cp) || (cp >= 0x1C && cp <= 0x1F);
    }

    /** Unicode general category L* (what {@code \p{L}} matches). */
    static boolean isLetter(int cp) {
        return Character.isLetter(cp);
    }

    /** Unicode general category N*: Nd, Nl and No (what {@code \p{N}} matches). */
    static boolean isNumber(int cp) {
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /** Python {@code re}'s {@code \w} for str patterns: letters, numbers and the underscore. */
    static boolean isWordChar(int cp) {
        return isLetter(cp) || isNumber(cp) || cp == '_';
    }

    /** Python {@code str.strip()} with no argument. */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end) {
            int cp = s.codePointAt(start);
            if (!isPythonSpace(cp)) {
                break;
            }
            start += Character.charCount(cp);
        }
        while (end > start) {
            int cp = s.codePointBefore(end);
            if (!isPythonSpace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(start, end);
    }

    /** {@code regex.sub(r'\s+', ' ', s)} with {@code \s} = White_Space. */
    static String collapseWhiteSpace(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean inRun = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (isWhiteSpace(cp)) {
                if (!inRun) {
                    out.append(' ');
                }
                inRun = true;
            } else {
                out.appendCodePoint(cp);
                inRun = false;
            }
        }
        return out.toString();
    }
}
