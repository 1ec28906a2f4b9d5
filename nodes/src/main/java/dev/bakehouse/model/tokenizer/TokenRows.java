package dev.bakehouse.model.tokenizer;

import java.util.Arrays;

/**
 * Text-encoder input: {@code ids[r]} is one 77-wide row (BOS, 75 slots, EOS) and
 * {@code weights[r]} the emphasis weight of each slot (1.0 at BOS, EOS and padding).
 */
public record TokenRows(int[][] ids, double[][] weights) {
    public TokenRows {
        if (ids.length != weights.length) {
            throw new IllegalArgumentException(ids.length + " id rows but " + weights.length + " weight rows");
        }
        for (int r = 0; r < ids.length; r++) {
            if (ids[r].length != ClipTokenizer.ROW_WIDTH || weights[r].length != ClipTokenizer.ROW_WIDTH) {
                throw new IllegalArgumentException("row " + r + " has " + ids[r].length + " ids and "
                        + weights[r].length + " weights, expected " + ClipTokenizer.ROW_WIDTH);
            }
        }
    }

    /** Rows without emphasis (all weights 1.0). */
    public static TokenRows unweighted(int[][] ids) {
        double[][] weights = new double[ids.length][];
        for (int r = 0; r < ids.length; r++) {
            weights[r] = new double[ids[r].length];
            Arrays.fill(weights[r], 1.0);
        }
        return new TokenRows(ids, weights);
    }

    public int rowCount() {
        return ids.length;
    }

    /** Ids as one [rows * 77] array (row-major), ready for an NDArray of shape (rows, 77). */
    public long[] flatIds() {
        long[] out = new long[ids.length * ClipTokenizer.ROW_WIDTH];
        for (int r = 0; r < ids.length; r++) {
            for (int c = 0; c < ClipTokenizer.ROW_WIDTH; c++) {
                out[r * ClipTokenizer.ROW_WIDTH + c] = ids[r][c];
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenRows other && Arrays.deepEquals(ids, other.ids) && Arrays.deepEquals(weights, other.weights);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(ids) * 31 + Arrays.deepHashCode(weights);
    }

    @Override
    public String toString() {
        return "TokenRows" + Arrays.deepToString(ids);
    }
}
