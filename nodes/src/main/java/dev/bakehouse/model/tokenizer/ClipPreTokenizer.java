package dev.bakehouse.model.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's split regex, written out by hand so that its Unicode classes are exactly the
 * {@code regex} module's:
 * {@code <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+}
 * compiled case-insensitively. At each position the first alternative that matches wins;
 * characters no alternative matches (white space) are skipped.
 *
 * <p>Two consequences of the case-insensitive compilation are reproduced: {@code 'ſ} (U+017F,
 * which folds to {@code s}) matches the {@code 's} alternative, and U+0345 COMBINING GREEK
 * YPOGEGRAMMENI, whose case partners are letters, falls out of the negated class and matches
 * nothing, so it is dropped.
 */
final class ClipPreTokenizer {
    static final String START_OF_TEXT = "<|startoftext|>";
    static final String END_OF_TEXT = "<|endoftext|>";

    private static final String[] CONTRACTIONS = {"s", "t", "re", "ve", "m", "ll", "d"};
    private static final int YPOGEGRAMMENI = 0x0345;
    private static final int LONG_S = 0x017F;

    private ClipPreTokenizer() {}

    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int end = matchAt(text, i);
            if (end < 0) {
                i += Character.charCount(text.codePointAt(i));
            } else {
                out.add(text.substring(i, end));
                i = end;
            }
        }
        return out;
    }

    /** End (exclusive) of the match starting at {@code i}, or -1 when nothing matches there. */
    private static int matchAt(String text, int i) {
        for (String special : new String[] {START_OF_TEXT, END_OF_TEXT}) {
            if (text.startsWith(special, i)) {
                return i + special.length();
            }
        }
        int contraction = contractionEnd(text, i);
        if (contraction > 0) {
            return contraction;
        }
        int cp = text.codePointAt(i);
        if (PythonText.isLetter(cp)) {
            return runEnd(text, i, true);
        }
        if (PythonText.isNumber(cp)) {
            return i + Character.charCount(cp);
        }
        if (isOther(cp)) {
            return runEnd(text, i, false);
        }
        return -1;
    }

    private static int contractionEnd(String text, int i) {
        if (text.charAt(i) != '\'') {
            return -1;
        }
        for (String suffix : CONTRACTIONS) {
            if (text.startsWith(suffix, i + 1)) {
                return i + 1 + suffix.length();
            }
            if (suffix.equals("s") && i + 1 < text.length() && text.charAt(i + 1) == LONG_S) {
                return i + 2;
            }
        }
        return -1;
    }

    private static int runEnd(String text, int i, boolean letters) {
        int j = i;
        while (j < text.length()) {
            int cp = text.codePointAt(j);
            if (letters ? !PythonText.isLetter(cp) : !isOther(cp)) {
                break;
            }
            j += Character.charCount(cp);
        }
        return j;
    }

    /** The class {@code [^\s\p{L}\p{N}]} under case-insensitive matching. */
    private static boolean isOther(int cp) {
        return !PythonText.isWhiteSpace(cp) && !PythonText.isLetter(cp) && !PythonText.isNumber(cp)
                && cp != YPOGEGRAMMENI;
    }
}
