package dev.bakehouse.model.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * ComfyUI's prompt handling ({@code comfy/sd1_clip.py}): emphasis by top-level parentheses
 * ({@code token_weights}) and row building ({@code SDTokenizer.tokenize_with_weights}).
 *
 * <p>Only {@code \(} and {@code \)} are escapes; square brackets mean nothing. A group's weight is
 * the outer weight x1.1, or is replaced by an explicit {@code :number} suffix ({@code ((a:1.5))}
 * is 1.5). Each segment is tokenized on its own (HF tokenizer without ftfy) and kept as a group:
 * a group that does not fit the rest of a row moves whole to the next row unless it has 8 or more
 * tokens, in which case it is split to fill the row.
 *
 * <p>Textual-inversion embeddings ({@link EmbeddingWord}): with an {@link EmbeddingLookup}, each
 * {@code embedding:name} becomes one group of slots, one per vector, with the segment's weight
 * (so {@code (embedding:name:1.2)} weights them as it would weight words), chunked like any group:
 * an embedding of 8 or more vectors may be split across rows, a shorter one moves whole. A name
 * no file has is dropped with ComfyUI's warning. Without a lookup (ComfyUI with no embeddings
 * folder) {@code embedding:name} is tokenized as text.
 */
public final class ComfyPrompt {
    public static final double PAREN_MULTIPLIER = 1.1;
    /** {@code max_word_length}: groups at least this long may be split across rows. */
    public static final int MAX_WORD_LENGTH = 8;
    private static final String ESCAPED_CLOSE = "\0\1";
    private static final String ESCAPED_OPEN = "\0\2";

    private ComfyPrompt() {}

    /** The prompt with {@code embedding:name} read as text (no embeddings folder). */
    public static WeightedPrompt encode(String prompt, ClipTokenizer tokenizer) {
        return encode(prompt, tokenizer, null);
    }

    /**
     * The prompt with its {@code embedding:name} words looked up in {@code embeddings}
     * ({@code null}: read as text).
     */
    public static WeightedPrompt encode(String prompt, ClipTokenizer tokenizer, EmbeddingLookup embeddings) {
        List<PromptSegment> segments = parse(prompt);
        List<List<WeightedToken>> groups = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (PromptSegment segment : segments) {
            for (String word : EmbeddingWord.split(segment.text())) {
                String text = word;
                if (embeddings != null && word.startsWith(EmbeddingWord.IDENTIFIER)) {
                    EmbeddingWord.Match match = EmbeddingWord.resolve(word, embeddings);
                    match.embedding().ifPresentOrElse(
                            embedding -> groups.add(vectors(embedding, segment.weight())),
                            () -> warnings.add("warning, " + EmbeddingWord.IDENTIFIER + match.name()
                                    + " does not exist, ignoring"));
                    if (match.leftover().isEmpty()) {
                        continue;
                    }
                    text = match.leftover();
                }
                List<WeightedToken> group = new ArrayList<>();
                for (int id : tokenizer.encode(text, TextNormalization.HF_BASIC)) {
                    group.add(new WeightedToken(id, segment.weight()));
                }
                groups.add(group);
            }
        }
        List<WeightedToken> tokens = groups.stream().flatMap(List::stream).toList();
        return new WeightedPrompt(segments, tokens, rows(groups), warnings);
    }

    private static List<WeightedToken> vectors(TextualInversion embedding, double weight) {
        List<WeightedToken> group = new ArrayList<>();
        for (int i = 0; i < embedding.count(); i++) {
            group.add(WeightedToken.ofEmbedding(embedding.vector(i), weight));
        }
        return group;
    }

    /** {@code token_weights} of the escaped prompt, segments unescaped, empty ones dropped. */
    public static List<PromptSegment> parse(String prompt) {
        String escaped = prompt.replace("\\)", ESCAPED_CLOSE).replace("\\(", ESCAPED_OPEN);
        List<PromptSegment> out = new ArrayList<>();
        for (PromptSegment s : tokenWeights(escaped, 1.0)) {
            out.add(new PromptSegment(s.text().replace(ESCAPED_CLOSE, ")").replace(ESCAPED_OPEN, "("), s.weight()));
        }
        return out;
    }

    private static List<PromptSegment> tokenWeights(String text, double currentWeight) {
        List<PromptSegment> out = new ArrayList<>();
        for (String piece : parseParentheses(text)) {
            if (piece.length() >= 2 && piece.charAt(0) == '(' && piece.charAt(piece.length() - 1) == ')') {
                String inner = piece.substring(1, piece.length() - 1);
                double weight = currentWeight * PAREN_MULTIPLIER;
                int colon = inner.lastIndexOf(':');
                if (colon > 0) {
                    OptionalDouble explicit = PythonFloat.parse(inner.substring(colon + 1));
                    if (explicit.isPresent()) {
                        weight = explicit.getAsDouble();
                        inner = inner.substring(0, colon);
                    }
                }
                out.addAll(tokenWeights(inner, weight));
            } else {
                out.add(new PromptSegment(piece, currentWeight));
            }
        }
        return out;
    }

    /**
     * {@code parse_parentheses}: top-level pieces by depth counting. An unmatched ')' drives the
     * depth negative, after which nothing closes at depth 0 again (as in ComfyUI).
     */
    private static List<String> parseParentheses(String text) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                if (depth == 0) {
                    if (current.length() > 0) {
                        result.add(current.toString());
                    }
                    current.setLength(0);
                }
                current.append(c);
                depth++;
            } else if (c == ')') {
                depth--;
                current.append(c);
                if (depth == 0) {
                    result.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            result.add(current.toString());
        }
        return result;
    }

    /** {@code tokenize_with_weights}' reshaping of token groups into 77-wide rows. */
    private static TokenRows rows(List<List<WeightedToken>> groups) {
        int width = ClipTokenizer.ROW_WIDTH;
        List<int[]> rows = new ArrayList<>();
        List<double[]> rowWeights = new ArrayList<>();
        List<TokenRows.EmbeddingSlot> embeddings = new ArrayList<>();
        List<WeightedToken> batch = new ArrayList<>();
        batch.add(new WeightedToken(ClipTokenizer.BOS, 1.0));
        for (List<WeightedToken> group : groups) {
            boolean large = group.size() >= MAX_WORD_LENGTH;
            List<WeightedToken> rest = group;
            while (!rest.isEmpty()) {
                if (rest.size() + batch.size() > width - 1) {
                    int room = width - batch.size() - 1;
                    if (large) {
                        batch.addAll(rest.subList(0, room));
                        rest = rest.subList(room, rest.size());
                    }
                    closeRow(batch, rows, rowWeights, embeddings);
                    batch = new ArrayList<>();
                    batch.add(new WeightedToken(ClipTokenizer.BOS, 1.0));
                } else {
                    batch.addAll(rest);
                    rest = List.of();
                }
            }
        }
        closeRow(batch, rows, rowWeights, embeddings);
        return new TokenRows(rows.toArray(new int[0][]), rowWeights.toArray(new double[0][]), embeddings);
    }

    /** Appends EOS and pads with EOS (SD 1.x) to 77. */
    private static void closeRow(List<WeightedToken> batch, List<int[]> rows, List<double[]> rowWeights,
            List<TokenRows.EmbeddingSlot> embeddings) {
        int[] row = new int[ClipTokenizer.ROW_WIDTH];
        double[] weights = new double[ClipTokenizer.ROW_WIDTH];
        Arrays.fill(row, ClipTokenizer.PAD_SD1);
        Arrays.fill(weights, 1.0);
        for (int k = 0; k < batch.size(); k++) {
            WeightedToken token = batch.get(k);
            row[k] = token.id();
            weights[k] = token.weight();
            if (token.isEmbedding()) {
                embeddings.add(new TokenRows.EmbeddingSlot(rows.size(), k, token.embedding()));
            }
        }
        rows.add(row);
        rowWeights.add(weights);
    }
}
