package dev.bakehouse.train.save;

import dev.bakehouse.io.FileHashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * kohya's two hashes of a base model file for {@code ss_sd_model_hash} and
 * {@code ss_new_sd_model_hash}: the legacy {@code model_hash} (first 8 hex digits of the SHA-256
 * of the 64 KiB at offset 1 MiB — A1111's old short hash) and the SHA-256 of the whole file.
 */
public final class ModelFileHashes {
    private static final long LEGACY_OFFSET = 0x100000;
    private static final int LEGACY_LENGTH = 0x10000;

    private ModelFileHashes() {}

    /** The identity kohya records for a model file: its file name and both hashes. */
    public static KohyaTrainingMetadata.ModelIdentity of(Path file) {
        try {
            return new KohyaTrainingMetadata.ModelIdentity(file.getFileName().toString(), legacy(file), FileHashes.sha256(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + file + ": " + e.getMessage(), e);
        }
    }

    static String legacy(Path file) throws IOException {
        MessageDigest d = digest();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer window = ByteBuffer.allocate(LEGACY_LENGTH);
            ch.position(Math.min(LEGACY_OFFSET, ch.size()));
            while (window.hasRemaining() && ch.read(window) > 0) {
                // read up to 64 KiB, fewer at the end of a small file (Python's read does the same)
            }
            window.flip();
            d.update(window);
        }
        return HexFormat.of().formatHex(d.digest()).substring(0, 8);
    }


    private static MessageDigest digest() {
        return FileHashes.sha256Digest();
    }
}
