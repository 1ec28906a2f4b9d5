package dev.bakehouse.model.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * Text-encoder input: {@code ids[r]} is one 77-wide row (BOS, 75 slots, EOS) and
 * {@code weights[r]} the emphasis weight of each slot (1.0 at BOS, EOS and padding).
 * {@code embeddings} lists the slots whose input is a textual-inversion vector instead of a
 * token's embedding; their id is {@link #EMBEDDING_PLACEHOLDER}, which the text encoder's token
 * lookup reads and the splice then overwrites.
 */
public record TokenRows(int[][] ids, double[][] weights, List<EmbeddingSlot> embeddings) {
    /**
     * The id kept at an embedding slot: the lowest id, so the pooled output (taken at the
     * largest id, the first EOS) is where it would be without the embedding.
     */
    public static final int EMBEDDING_PLACEHOLDER = 0;

    /** Slot {@code position} of row {@code row} takes {@code vector} as its input embedding. */
    public record EmbeddingSlot(int row, int position, float[] vector) {
        public EmbeddingSlot {
            vector = vector.clone();
        }

        @Override
        public float[] vector() {
            return vector.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EmbeddingSlot other && row == other.row && position == other.position
                    && Arrays.equals(vector, other.vector);
        }

        @Override
        public int hashCode() {
            return (row * 31 + position) * 31 + Arrays.hashCode(vector);
        }

        @Override
        public String toString() {
            return "EmbeddingSlot[row=" + row + ", position=" + position + ", width=" + vector.length + "]";
        }
    }

    /** Rows of token ids only. */
    public TokenRows(int[][] ids, double[][] weights) {
        this(ids, weights, List.of());
    }

    public TokenRows {
        embeddings = List.copyOf(embeddings);
        if (ids.length != weights.length) {
            throw new IllegalArgumentException(ids.length + " id rows but " + weights.length + " weight rows");
        }
        for (int r = 0; r < ids.length; r++) {
            if (ids[r].length != ClipTokenizer.ROW_WIDTH || weights[r].length != ClipTokenizer.ROW_WIDTH) {
                throw new IllegalArgumentException("row " + r + " has " + ids[r].length + " ids and "
                        + weights[r].length + " weights, expected " + ClipTokenizer.ROW_WIDTH);
            }
        }
        for (EmbeddingSlot slot : embeddings) {
            // BOS and the final EOS stay tokens: a vector only ever fills one of the 75 content slots
            if (slot.row() < 0 || slot.row() >= ids.length || slot.position() < 1
                    || slot.position() > ClipTokenizer.CHUNK_TOKENS || ids[slot.row()][slot.position()] != EMBEDDING_PLACEHOLDER) {
                throw new IllegalArgumentException("embedding slot " + slot + " is not a content slot holding the "
                        + "placeholder id " + EMBEDDING_PLACEHOLDER + " in " + ids.length + " row(s)");
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
        return o instanceof TokenRows other && Arrays.deepEquals(ids, other.ids) && Arrays.deepEquals(weights, other.weights)
                && embeddings.equals(other.embeddings);
    }

    @Override
    public int hashCode() {
        return (Arrays.deepHashCode(ids) * 31 + Arrays.deepHashCode(weights)) * 31 + embeddings.hashCode();
    }

    @Override
    public String toString() {
        return "TokenRows" + Arrays.deepToString(ids);
    }
}
