package dev.bakehouse.model.tokenizer;

import java.util.Arrays;

/**
 * One content token slot and the emphasis weight of the segment it came from: a token id, or
 * one vector of a textual-inversion embedding ({@code embedding} non-null, {@code id} then
 * {@link TokenRows#EMBEDDING_PLACEHOLDER}).
 */
public record WeightedToken(int id, double weight, float[] embedding) {
    public WeightedToken(int id, double weight) {
        this(id, weight, null);
    }

    /** A slot filled by an embedding vector instead of a token. */
    public static WeightedToken ofEmbedding(float[] vector, double weight) {
        return new WeightedToken(TokenRows.EMBEDDING_PLACEHOLDER, weight, vector.clone());
    }

    public boolean isEmbedding() {
        return embedding != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightedToken other && id == other.id && Double.compare(weight, other.weight) == 0
                && Arrays.equals(embedding, other.embedding);
    }

    @Override
    public int hashCode() {
        return (Integer.hashCode(id) * 31 + Double.hashCode(weight)) * 31 + Arrays.hashCode(embedding);
    }

    @Override
    public String toString() {
        return isEmbedding() ? "WeightedToken[embedding of " + embedding.length + ", weight=" + weight + "]"
                : "WeightedToken[id=" + id + ", weight=" + weight + "]";
    }
}
