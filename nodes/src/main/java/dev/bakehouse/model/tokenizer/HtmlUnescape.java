package dev.bakehouse.model.tokenizer;

import java.util.Map;
import org.jsoup.nodes.Entities;

/**
 * Python's {@code html.unescape}: HTML5 named references (the legacy ones also without
 * {@code ;}, longest legacy prefix wins), decimal and hex references with or without {@code ;},
 * and the HTML5 replacements for invalid numeric references.
 *
 * <p>The entity table is jsoup's, which holds exactly the 2,125 HTML5 names and the 106 legacy
 * names Python's {@code html.entities.html5} holds, with the same values.
 */
final class HtmlUnescape {
    private HtmlUnescape() {}

    /** Python's {@code [^\t\n\f <&#;]{1,32}}: the longest candidate for an entity name. */
    private static final int MAX_NAME = 32;

    /** HTML5 "numeric character reference end state" table for the C1 range and NUL. */
    private static final Map<Integer, Integer> INVALID_CHARREFS = Map.ofEntries(
            Map.entry(0x00, 0xFFFD), Map.entry(0x0D, 0x0D), Map.entry(0x80, 0x20AC),
            Map.entry(0x81, 0x81), Map.entry(0x82, 0x201A), Map.entry(0x83, 0x0192),
            Map.entry(0x84, 0x201E), Map.entry(0x85, 0x2026), Map.entry(0x86, 0x2020),
            Map.entry(0x87, 0x2021), Map.entry(0x88, 0x02C6), Map.entry(0x89, 0x2030),
            Map.entry(0x8A, 0x0160), Map.entry(0x8B, 0x2039), Map.entry(0x8C, 0x0152),
            Map.entry(0x8D, 0x8D), Map.entry(0x8E, 0x017D), Map.entry(0x8F, 0x8F),
            Map.entry(0x90, 0x90), Map.entry(0x91, 0x2018), Map.entry(0x92, 0x2019),
            Map.entry(0x93, 0x201C), Map.entry(0x94, 0x201D), Map.entry(0x95, 0x2022),
            Map.entry(0x96, 0x2013), Map.entry(0x97, 0x2014), Map.entry(0x98, 0x02DC),
            Map.entry(0x99, 0x2122), Map.entry(0x9A, 0x0161), Map.entry(0x9B, 0x203A),
            Map.entry(0x9C, 0x0153), Map.entry(0x9D, 0x9D), Map.entry(0x9E, 0x017E),
            Map.entry(0x9F, 0x0178));

    static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = i + 1 < s.length() && s.charAt(i + 1) == '#' ? numericEnd(s, i + 2) : nameEnd(s, i + 1);
            if (end < 0) {
                out.append(c);
                i++;
                continue;
            }
            String ref = s.substring(i + 1, end);
            out.append(ref.charAt(0) == '#' ? numeric(ref) : named(ref));
            i = end;
        }
        return out.toString();
    }

    /** End of {@code #[0-9]+;?} or {@code #[xX][0-9a-fA-F]+;?} starting after '#', or -1. */
    private static int numericEnd(String s, int from) {
        boolean hex = from < s.length() && (s.charAt(from) == 'x' || s.charAt(from) == 'X');
        int start = hex ? from + 1 : from;
        int j = start;
        while (j < s.length() && (hex ? isHexDigit(s.charAt(j)) : isAsciiDigit(s.charAt(j)))) {
            j++;
        }
        if (j == start) {
            return -1;
        }
        return j < s.length() && s.charAt(j) == ';' ? j + 1 : j;
    }

    /** End of {@code [^\t\n\f <&#;]{1,32};?} starting after '&', or -1. */
    private static int nameEnd(String s, int from) {
        int j = from;
        while (j < s.length() && j - from < MAX_NAME && "\t\n\f <&#;".indexOf(s.charAt(j)) < 0) {
            j++;
        }
        if (j == from) {
            return -1;
        }
        return j < s.length() && s.charAt(j) == ';' ? j + 1 : j;
    }

    private static String numeric(String ref) {
        boolean hex = ref.charAt(1) == 'x' || ref.charAt(1) == 'X';
        String digits = ref.substring(hex ? 2 : 1);
        if (digits.endsWith(";")) {
            digits = digits.substring(0, digits.length() - 1);
        }
        // Arbitrary-length digit strings: anything past 0x10FFFF is replaced anyway.
        long num = 0;
        for (char d : digits.toCharArray()) {
            num = Math.min(num * (hex ? 16 : 10) + Character.digit(d, 16), 0x110000L);
        }
        Integer replacement = INVALID_CHARREFS.get((int) num);
        if (replacement != null) {
            return Character.toString(replacement);
        }
        if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
            return "\uFFFD";
        }
        if (isInvalidCodePoint((int) num)) {
            return "";
        }
        return Character.toString((int) num);
    }

    /** Python's {@code _invalid_codepoints}: controls and noncharacters that vanish. */
    private static boolean isInvalidCodePoint(int cp) {
        return (cp >= 0x1 && cp <= 0x8) || cp == 0xB || (cp >= 0xE && cp <= 0x1F)
                || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF)
                || (cp & 0xFFFE) == 0xFFFE;
    }

    private static String named(String ref) {
        if (ref.endsWith(";")) {
            String name = ref.substring(0, ref.length() - 1);
            if (Entities.isNamedEntity(name)) {
                return Entities.getByName(name);
            }
        } else if (Entities.isBaseNamedEntity(ref)) {
            return Entities.getByName(ref);
        }
        // The longest legacy name (valid without ';') that is a proper prefix, at least 2 chars.
        for (int len = ref.length() - 1; len > 1; len--) {
            String prefix = ref.substring(0, len);
            if (Entities.isBaseNamedEntity(prefix)) {
                return Entities.getByName(prefix) + ref.substring(len);
            }
        }
        return "&" + ref;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
