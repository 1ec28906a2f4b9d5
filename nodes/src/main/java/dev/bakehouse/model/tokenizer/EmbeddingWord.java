package dev.bakehouse.model.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How ComfyUI reads {@code embedding:} in a prompt segment ({@code SDTokenizer.tokenize_with_weights}
 * and {@code _try_get_embedding}).
 *
 * <p>A segment is cut before every {@code embedding:} that follows white space. In a piece that
 * starts with it, the name is the first white-space-separated word (so a name cannot hold a
 * space), cut before a {@code <} or {@code [}; everything after the name is left-over text,
 * tokenized as usual. A name that is not found is tried once more without surrounding commas
 * ({@code embedding:name,}), the commas then joining the left-over text.
 */
final class EmbeddingWord {
    static final String IDENTIFIER = "embedding:";

    /**
     * @param embedding what the lookup found, if anything
     * @param name      the name as written (with any commas), for the warning
     * @param leftover  text after the name, to tokenize as ordinary words ("" for none)
     */
    record Match(Optional<TextualInversion> embedding, String name, String leftover) {}

    private EmbeddingWord() {}

    /** {@code re.split(r'(?<=\s)embedding:', text)} with the identifier put back; empty pieces dropped. */
    static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        int i = 1;
        while (i < text.length()) {
            if (text.startsWith(IDENTIFIER, i) && PythonText.isPythonSpace(text.codePointBefore(i))) {
                pieces.add(text.substring(start, i));
                start = i;
                i += IDENTIFIER.length();
            } else {
                i++;
            }
        }
        pieces.add(text.substring(start));
        pieces.removeIf(String::isEmpty);
        return pieces;
    }

    /** Resolves a piece that starts with {@value #IDENTIFIER}. */
    static Match resolve(String piece, EmbeddingLookup lookup) {
        List<String> words = pythonSplit(strip(piece.substring(IDENTIFIER.length()), '\n'));
        String name = words.isEmpty() ? "" : words.get(0);
        String leftover = String.join(" ", words.subList(Math.min(1, words.size()), words.size()));
        int bracket = firstBracket(name);
        if (bracket >= 0) {
            leftover = name.substring(bracket) + (leftover.isEmpty() ? "" : " " + leftover);
            name = name.substring(0, bracket);
        }
        Optional<TextualInversion> found = lookup.find(name);
        if (found.isEmpty()) {
            String stripped = strip(name, ',');
            if (stripped.length() < name.length()) {
                return new Match(lookup.find(stripped), name, name.substring(stripped.length()) + " " + leftover);
            }
        }
        return new Match(found, name, leftover);
    }

    private static int firstBracket(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '<' || s.charAt(i) == '[') {
                return i;
            }
        }
        return -1;
    }

    /** Python {@code str.split()}: runs of white space separate, none at the ends. */
    private static List<String> pythonSplit(String s) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && PythonText.isPythonSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            int start = i;
            while (i < s.length() && !PythonText.isPythonSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i > start) {
                words.add(s.substring(start, i));
            }
        }
        return words;
    }

    /** Python {@code str.strip(c)} for one character. */
    private static String strip(String s, char c) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == c) {
            start++;
        }
        while (end > start && s.charAt(end - 1) == c) {
            end--;
        }
        return s.substring(start, end);
    }
}
