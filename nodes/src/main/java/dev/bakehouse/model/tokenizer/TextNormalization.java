package dev.bakehouse.model.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How prompt text is cleaned before the CLIP split regex, one constant per reference tokenizer.
 * None runs {@code ftfy.fix_text}; on ordinary NFC text without mojibake it is a no-op.
 */
public enum TextNormalization {
    /**
     * OpenAI {@code simple_tokenizer}: HTML-unescape twice, strip, collapse White_Space runs to
     * one space, strip, Python {@code lower()}.
     */
    OPENAI {
        @Override
        String clean(String text) {
            String unescaped = PythonText.strip(HtmlUnescape.unescape(HtmlUnescape.unescape(text)));
            return lower(PythonText.strip(PythonText.collapseWhiteSpace(unescaped)));
        }
    },
    /**
     * Hugging Face {@code CLIPTokenizer} with ftfy installed (A1111, kohya sd-scripts): collapse
     * White_Space, strip, lower; no HTML unescape.
     */
    HF_FTFY {
        @Override
        String clean(String text) {
            return lower(PythonText.strip(PythonText.collapseWhiteSpace(text)));
        }
    },
    /**
     * Hugging Face {@code CLIPTokenizer} without ftfy (stock ComfyUI): BERT BasicTokenizer:
     * drop NUL, U+FFFD and control/format characters, spaces around CJK ideographs, NFC, split on
     * white space, lower each word, join with single spaces.
     */
    HF_BASIC {
        @Override
        String clean(String text) {
            String spaced = spaceCjk(dropControls(text));
            String nfc = Normalizer.normalize(spaced, Normalizer.Form.NFC);
            List<String> words = new ArrayList<>();
            for (String word : splitPythonSpace(nfc)) {
                words.add(lower(word));
            }
            return String.join(" ", words);
        }
    };

    /** The text the split regex sees. */
    abstract String clean(String text);

    /** Python {@code str.lower()}: full Unicode lowercase mapping, final-sigma rule included. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** BasicTokenizer._clean_text: controls (C*) vanish except tab/CR/LF; spaces become ' '. */
    private static String dropControls(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD) {
                return;
            }
            boolean space = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r'
                    || Character.getType(cp) == Character.SPACE_SEPARATOR;
            if (space) {
                out.append(' ');
            } else if (!isOtherCategory(cp)) {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** General category C*: Cc, Cf, Cs, Co, Cn. */
    private static boolean isOtherCategory(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
    }

    private static String spaceCjk(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (isCjkIdeograph(cp)) {
                out.append(' ').appendCodePoint(cp).append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** The CJK Unified Ideograph blocks BasicTokenizer puts spaces around (no kana, no hangul). */
    private static boolean isCjkIdeograph(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** Python {@code str.split()} with no argument. */
    private static List<String> splitPythonSpace(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (PythonText.isPythonSpace(cp)) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.appendCodePoint(cp);
            }
        });
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }
}
