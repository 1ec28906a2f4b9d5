package dev.bakehouse.model.tokenizer;

import java.util.OptionalDouble;

/**
 * Python's {@code float(str)}: surrounding white space, an optional sign, decimal digits of any
 * script with single underscores between them, an optional fraction and exponent, or
 * {@code inf}/{@code infinity}/{@code nan} in any case. Unlike {@link Double#parseDouble} it
 * rejects hex floats and {@code d}/{@code f} suffixes, so weights parse exactly as in the UIs.
 */
final class PythonFloat {
    private PythonFloat() {}

    static OptionalDouble parse(String text) {
        String s = PythonText.strip(text);
        StringBuilder ascii = new StringBuilder(s.length());
        int i = 0;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            ascii.append(s.charAt(i++));
        }
        String rest = s.substring(i).toLowerCase(java.util.Locale.ROOT);
        if (rest.equals("inf") || rest.equals("infinity")) {
            return OptionalDouble.of(ascii.toString().equals("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        if (rest.equals("nan")) {
            return OptionalDouble.of(Double.NaN);
        }
        int intEnd = digitPart(s, i, ascii);
        boolean hasInt = intEnd > i;
        i = intEnd;
        boolean hasFraction = false;
        if (i < s.length() && s.charAt(i) == '.') {
            ascii.append('.');
            int fracEnd = digitPart(s, i + 1, ascii);
            hasFraction = fracEnd > i + 1;
            i = fracEnd;
        }
        if (!hasInt && !hasFraction) {
            return OptionalDouble.empty();
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            ascii.append('e');
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                ascii.append(s.charAt(i++));
            }
            int expEnd = digitPart(s, i, ascii);
            if (expEnd == i) {
                return OptionalDouble.empty();
            }
            i = expEnd;
        }
        if (i != s.length()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Double.parseDouble(ascii.toString()));
    }

    /**
     * Reads {@code digit ("_"? digit)*} from {@code from}, appending ASCII digits; returns the end
     * (== from when there is no digit). A trailing or doubled underscore ends the part before it.
     */
    private static int digitPart(String s, int from, StringBuilder ascii) {
        int i = from;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) {
                ascii.append((char) ('0' + Character.digit(cp, 10)));
                i += Character.charCount(cp);
            } else if (cp == '_' && i > from && i + 1 < s.length()
                    && Character.getType(s.codePointAt(i + 1)) == Character.DECIMAL_DIGIT_NUMBER) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }
}
