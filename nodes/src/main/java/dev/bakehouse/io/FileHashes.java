package dev.bakehouse.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Whole-file digests, the one place model files are hashed (what A1111 and Civitai show as a model's hash). */
public final class FileHashes {
    private FileHashes() {}

    /** SHA-256 of the whole file, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest d = sha256Digest();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                d.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
