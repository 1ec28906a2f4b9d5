package dev.bakehouse.tensor.ckpt;

import dev.bakehouse.tensor.TensorFileException;
import java.nio.file.Path;

/** The pickle needs more bytes than it was given: the file is truncated, or a reader's window too small. */
final class PickleTruncatedException extends TensorFileException {
    PickleTruncatedException(Path file, String message) {
        super(file, null, message);
    }
}
