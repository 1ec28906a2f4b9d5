package dev.bakehouse.model.tokenizer;

import java.util.Arrays;

/**
 * kohya sd-scripts rows for {@code --max_token_length} 75 (or unset), 150 or 225: the prompt is
 * tokenized once as {@code BOS + first L ids + EOS + EOS padding} (length L+2) and cut into L/75
 * rows, each {@code BOS + 75 slots + EOS}. Tokens past L are dropped; no word or comma awareness.
 */
public final class KohyaRows {
    private KohyaRows() {}

    /** Rows of {@code prompt} tokenized as kohya does (HF CLIPTokenizer with ftfy installed). */
    public static TokenRows rows(String prompt, ClipTokenizer tokenizer, int maxTokenLength) {
        return rows(tokenizer.encode(prompt, TextNormalization.HF_FTFY), maxTokenLength);
    }

    /** @param maxTokenLength kohya's {@code max_token_length}: 75, 150 or 225 */
    public static TokenRows rows(int[] ids, int maxTokenLength) {
        if (maxTokenLength != 75 && maxTokenLength != 150 && maxTokenLength != 225) {
            throw new IllegalArgumentException("max_token_length must be 75, 150 or 225, found " + maxTokenLength);
        }
        int[] sequence = new int[maxTokenLength + 2];
        Arrays.fill(sequence, ClipTokenizer.PAD_SD1);
        sequence[0] = ClipTokenizer.BOS;
        int kept = Math.min(ids.length, maxTokenLength);
        System.arraycopy(ids, 0, sequence, 1, kept);
        sequence[kept + 1] = ClipTokenizer.EOS;

        int rowCount = maxTokenLength / ClipTokenizer.CHUNK_TOKENS;
        int[][] rows = new int[rowCount][];
        for (int r = 0; r < rowCount; r++) {
            int[] row = new int[ClipTokenizer.ROW_WIDTH];
            row[0] = sequence[0];
            System.arraycopy(sequence, 1 + r * ClipTokenizer.CHUNK_TOKENS, row, 1, ClipTokenizer.CHUNK_TOKENS);
            row[ClipTokenizer.ROW_WIDTH - 1] = sequence[sequence.length - 1];
            rows[r] = row;
        }
        return TokenRows.unweighted(rows);
    }
}
