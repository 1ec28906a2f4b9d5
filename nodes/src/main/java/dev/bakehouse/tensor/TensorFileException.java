package dev.bakehouse.tensor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A tensor file that cannot be read or written as asked: a malformed header, a tensor whose bytes
 * are not where the header says, a refused pickle global. The message names the file and, where
 * there is one, the tensor key, and says what was expected and what was found.
 */
public class TensorFileException extends IOException {
    private final Path file;
    private final String tensor;

    public TensorFileException(Path file, String tensor, String message) {
        this(file, tensor, message, null);
    }

    public TensorFileException(Path file, String tensor, String message, Throwable cause) {
        super(describe(file, tensor, message), cause);
        this.file = file;
        this.tensor = tensor;
    }

    /** The file concerned (may be null for an in-memory source). */
    public Path file() {
        return file;
    }

    /** The tensor key concerned, or null when the problem is not about one tensor. */
    public String tensor() {
        return tensor;
    }

    private static String describe(Path file, String tensor, String message) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<memory>" : file.toString());
        if (tensor != null) {
            sb.append(": tensor '").append(tensor).append('\'');
        }
        return sb.append(": ").append(message).toString();
    }
}
