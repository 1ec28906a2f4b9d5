package dev.bakehouse.model.tokenizer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * AUTOMATIC1111's prompt handling: emphasis syntax ({@code prompt_parser.parse_prompt_attention})
 * and pouring tokens into 75-token chunks ({@code sd_hijack_clip.tokenize_line}) with the
 * comma backtrack (default 20) and {@code BREAK}. Textual-inversion embeddings, prompt
 * scheduling {@code [a:b:n]}, alternation and {@code AND} are not handled.
 *
 * <p>Syntax: {@code (x)} x1.1, {@code [x]} /1.1, {@code (x:w)} xw, multiplied in the order they
 * close; {@code \( \) \[ \] \\} are literal characters and any other backslash vanishes; an
 * unclosed group applies its factor up to the end; equal-weight neighbours merge.
 */
public final class A1111Prompt {
    public static final double ROUND_MULTIPLIER = 1.1;
    public static final double SQUARE_MULTIPLIER = 1 / 1.1;
    /** A1111 option {@code comma_padding_backtrack} (default 20; 0 turns it off). */
    public static final int DEFAULT_COMMA_BACKTRACK = 20;

    private A1111Prompt() {}

    /** Segments, tokens and rows with the default comma backtrack. */
    public static WeightedPrompt encode(String prompt, ClipTokenizer tokenizer) {
        return encode(prompt, tokenizer, DEFAULT_COMMA_BACKTRACK);
    }

    public static WeightedPrompt encode(String prompt, ClipTokenizer tokenizer, int commaBacktrack) {
        List<PromptSegment> segments = parse(prompt);
        List<WeightedToken> tokens = new ArrayList<>();
        Chunker chunker = new Chunker(commaBacktrack);
        for (PromptSegment segment : segments) {
            if (segment.isBreak()) {
                chunker.closeChunk();
                continue;
            }
            for (int id : tokenizer.encode(segment.text(), TextNormalization.HF_FTFY)) {
                tokens.add(new WeightedToken(id, segment.weight()));
                chunker.add(id, segment.weight());
            }
        }
        return new WeightedPrompt(segments, tokens, chunker.finish());
    }

    /** {@code parse_prompt_attention}: text with weights, BREAK markers included. */
    public static List<PromptSegment> parse(String text) {
        List<Segment> res = new ArrayList<>();
        Deque<Integer> round = new ArrayDeque<>();
        Deque<Integer> square = new ArrayDeque<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                boolean escape = i + 1 < text.length() && "()[]\\".indexOf(text.charAt(i + 1)) >= 0;
                res.add(new Segment(escape ? String.valueOf(text.charAt(i + 1)) : "", 1.0));
                i += escape ? 2 : 1;
            } else if (c == '(') {
                round.push(res.size());
                i++;
            } else if (c == '[') {
                square.push(res.size());
                i++;
            } else if (c == ':') {
                int end = explicitWeightEnd(text, i);
                if (end > 0 && !round.isEmpty()) {
                    multiply(res, round.pop(), weightOf(text, i, end));
                    i = end;
                } else {
                    int stop = end > 0 ? end : i + 1;
                    addPlain(res, text.substring(i, stop));
                    i = stop;
                }
            } else if (c == ')' && !round.isEmpty()) {
                multiply(res, round.pop(), ROUND_MULTIPLIER);
                i++;
            } else if (c == ']' && !square.isEmpty()) {
                multiply(res, square.pop(), SQUARE_MULTIPLIER);
                i++;
            } else if (c == ')' || c == ']') {
                addPlain(res, String.valueOf(c));
                i++;
            } else {
                int j = i;
                while (j < text.length() && "\\()[]:".indexOf(text.charAt(j)) < 0) {
                    j++;
                }
                addPlain(res, text.substring(i, j));
                i = j;
            }
        }
        // Python iterates the stacks bottom-up: the outermost unclosed group first.
        round.descendingIterator().forEachRemaining(pos -> multiply(res, pos, ROUND_MULTIPLIER));
        square.descendingIterator().forEachRemaining(pos -> multiply(res, pos, SQUARE_MULTIPLIER));
        if (res.isEmpty()) {
            res.add(new Segment("", 1.0));
        }
        for (int k = 0; k + 1 < res.size(); ) {
            if (res.get(k).weight == res.get(k + 1).weight) {
                res.get(k).text.append(res.remove(k + 1).text);
            } else {
                k++;
            }
        }
        List<PromptSegment> out = new ArrayList<>(res.size());
        for (Segment s : res) {
            out.add(new PromptSegment(s.text.toString(), s.weight));
        }
        return out;
    }

    /** End of {@code :\s*[+-]?[.\d]+\s*\)} starting at the colon, or -1. */
    private static int explicitWeightEnd(String text, int colon) {
        int j = skipSpace(text, colon + 1);
        if (j < text.length() && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
            j++;
        }
        int digitsStart = j;
        while (j < text.length()) {
            int cp = text.codePointAt(j);
            if (cp != '.' && Character.getType(cp) != Character.DECIMAL_DIGIT_NUMBER) {
                break;
            }
            j += Character.charCount(cp);
        }
        if (j == digitsStart) {
            return -1;
        }
        j = skipSpace(text, j);
        return j < text.length() && text.charAt(j) == ')' ? j + 1 : -1;
    }

    private static double weightOf(String text, int colon, int end) {
        String number = PythonText.strip(text.substring(colon + 1, end - 1));
        return PythonFloat.parse(number).orElseThrow(() -> new IllegalArgumentException(
                "prompt emphasis weight '" + number + "' at character " + colon + " is not a number: " + text));
    }

    private static int skipSpace(String text, int from) {
        int j = from;
        while (j < text.length() && PythonText.isPythonSpace(text.codePointAt(j))) {
            j += Character.charCount(text.codePointAt(j));
        }
        return j;
    }

    private static void multiply(List<Segment> res, int from, double multiplier) {
        for (int p = from; p < res.size(); p++) {
            res.get(p).weight *= multiplier;
        }
    }

    /** Plain text, split on the {@code BREAK} keyword ({@code \s*\bBREAK\b\s*}). */
    private static void addPlain(List<Segment> res, String text) {
        int pos = 0;
        int searchFrom = 0;
        while (true) {
            int[] match = findBreak(text, searchFrom);
            if (match == null) {
                break;
            }
            res.add(new Segment(text.substring(pos, match[0]), 1.0));
            res.add(new Segment(PromptSegment.BREAK.text(), PromptSegment.BREAK.weight()));
            pos = match[1];
            searchFrom = match[1];
        }
        res.add(new Segment(text.substring(pos), 1.0));
    }

    /** Leftmost {@code \s*\bBREAK\b\s*} at or after {@code from}: {start, end}, or null. */
    private static int[] findBreak(String text, int from) {
        for (int start = from; start < text.length(); start++) {
            int word = skipSpace(text, start);
            boolean boundaryBefore = word == 0 || !PythonText.isWordChar(text.codePointBefore(word));
            int after = word + PromptSegment.BREAK.text().length();
            if (boundaryBefore && text.startsWith(PromptSegment.BREAK.text(), word)
                    && (after == text.length() || !PythonText.isWordChar(text.codePointAt(after)))) {
                return new int[] {start, skipSpace(text, after)};
            }
        }
        return null;
    }

    private static final class Segment {
        final StringBuilder text;
        double weight;

        Segment(String text, double weight) {
            this.text = new StringBuilder(text);
            this.weight = weight;
        }
    }

    /** {@code tokenize_line}'s chunk loop. */
    private static final class Chunker {
        private final int commaBacktrack;
        private final List<int[]> rows = new ArrayList<>();
        private final List<double[]> rowWeights = new ArrayList<>();
        private List<Integer> ids = new ArrayList<>();
        private List<Double> weights = new ArrayList<>();
        private int lastComma = -1;

        Chunker(int commaBacktrack) {
            this.commaBacktrack = commaBacktrack;
        }

        void add(int id, double weight) {
            int chunk = ClipTokenizer.CHUNK_TOKENS;
            if (id == ClipTokenizer.COMMA) {
                lastComma = ids.size();
            } else if (commaBacktrack != 0 && ids.size() == chunk && lastComma != -1
                    && ids.size() - lastComma <= commaBacktrack) {
                // Move the words after the last comma to the next chunk.
                int breakAt = lastComma + 1;
                List<Integer> movedIds = new ArrayList<>(ids.subList(breakAt, ids.size()));
                List<Double> movedWeights = new ArrayList<>(weights.subList(breakAt, weights.size()));
                ids = new ArrayList<>(ids.subList(0, breakAt));
                weights = new ArrayList<>(weights.subList(0, breakAt));
                closeChunk();
                ids = movedIds;
                weights = movedWeights;
            }
            if (ids.size() == chunk) {
                closeChunk();
            }
            ids.add(id);
            weights.add(weight);
        }

        /** Pads to 75 with EOS, wraps in BOS/EOS, starts a new chunk. */
        void closeChunk() {
            int[] row = new int[ClipTokenizer.ROW_WIDTH];
            double[] rowWeight = new double[ClipTokenizer.ROW_WIDTH];
            Arrays.fill(row, ClipTokenizer.PAD_SD1);
            Arrays.fill(rowWeight, 1.0);
            row[0] = ClipTokenizer.BOS;
            for (int k = 0; k < ids.size(); k++) {
                row[k + 1] = ids.get(k);
                rowWeight[k + 1] = weights.get(k);
            }
            rows.add(row);
            rowWeights.add(rowWeight);
            ids = new ArrayList<>();
            weights = new ArrayList<>();
            lastComma = -1;
        }

        TokenRows finish() {
            if (!ids.isEmpty() || rows.isEmpty()) {
                closeChunk();
            }
            return new TokenRows(rows.toArray(new int[0][]), rowWeights.toArray(new double[0][]));
        }
    }
}
