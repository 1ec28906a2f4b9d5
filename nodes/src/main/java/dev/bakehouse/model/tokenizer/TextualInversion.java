package dev.bakehouse.model.tokenizer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A textual-inversion embedding ({@code embedding:name} in a prompt): {@link #count()} vectors of
 * {@code width} values, each of which takes one token slot of a 77-wide row in place of a token's
 * embedding. Immutable.
 *
 * @param file   the file it was read from (named in errors and warnings)
 * @param tensor the tensor of that file that holds the vectors
 * @param width  values per vector; must equal the text encoder's hidden size
 */
public record TextualInversion(Path file, String tensor, int width, float[] vectors) {
    public TextualInversion {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensor, "tensor");
        if (width < 1 || vectors.length == 0 || vectors.length % width != 0) {
            throw new IllegalArgumentException(file + ": tensor '" + tensor + "' must hold one or more vectors of "
                    + width + " values, found " + vectors.length + " values");
        }
        vectors = vectors.clone();
    }

    /** How many token slots the embedding fills. */
    public int count() {
        return vectors.length / width;
    }

    /** A copy of vector {@code i} (0-based). */
    public float[] vector(int i) {
        Objects.checkIndex(i, count());
        return Arrays.copyOfRange(vectors, i * width, (i + 1) * width);
    }

    @Override
    public float[] vectors() {
        return vectors.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextualInversion other && file.equals(other.file) && tensor.equals(other.tensor)
                && width == other.width && Arrays.equals(vectors, other.vectors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, tensor, width) * 31 + Arrays.hashCode(vectors);
    }

    @Override
    public String toString() {
        return "TextualInversion[" + file.getFileName() + " '" + tensor + "', " + count() + " x " + width + "]";
    }
}
