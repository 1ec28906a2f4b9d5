package dev.bakehouse.grid;

import java.awt.FontMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Word wrapping for labels: breaks at spaces; a word wider than the line (a file name, a
 * block-weight vector) breaks after {@code _ - / , . :} or, failing that, between characters.
 * Lines past {@code maxLines} are dropped and the last kept line ends in "...".
 */
final class TextWrap {
    private static final String BREAK_AFTER = "_-/,.:";
    private static final String ELLIPSIS = "...";

    private TextWrap() {}

    static List<String> wrap(String text, FontMetrics fm, int maxWidth, int maxLines) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            wrapParagraph(paragraph.strip(), fm, Math.max(maxWidth, fm.charWidth('W')), lines);
        }
        if (lines.size() > maxLines) {
            List<String> kept = new ArrayList<>(lines.subList(0, maxLines));
            String last = kept.get(maxLines - 1);
            while (!last.isEmpty() && fm.stringWidth(last + ELLIPSIS) > maxWidth) {
                last = last.substring(0, last.length() - 1);
            }
            kept.set(maxLines - 1, last + ELLIPSIS);
            return kept;
        }
        return lines;
    }

    private static void wrapParagraph(String text, FontMetrics fm, int maxWidth, List<String> lines) {
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" +")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (fm.stringWidth(candidate) <= maxWidth) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (!line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            String rest = word;
            while (fm.stringWidth(rest) > maxWidth) {
                int cut = cutPoint(rest, fm, maxWidth);
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut);
            }
            line.append(rest);
        }
        lines.add(line.toString());
    }

    /** The longest prefix that fits, ending after a break character when one is in it. */
    private static int cutPoint(String word, FontMetrics fm, int maxWidth) {
        int fits = 1;
        while (fits < word.length() && fm.stringWidth(word.substring(0, fits + 1)) <= maxWidth) {
            fits++;
        }
        for (int i = fits; i > fits / 3 && i > 0; i--) {
            if (BREAK_AFTER.indexOf(word.charAt(i - 1)) >= 0) {
                return i;
            }
        }
        return fits;
    }
}
