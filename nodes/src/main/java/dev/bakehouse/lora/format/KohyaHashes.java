package dev.bakehouse.lora.format;

import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.tensor.TensorFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The two hashes sd-scripts stores as {@code sshs_model_hash} and {@code sshs_legacy_hash}
 * (train_util {@code precalculate_safetensors_hashes}, the additional-networks extension's hashes):
 * both are taken over the file the tensors would make with only the {@code ss_*} metadata, so
 * later user metadata does not change them.
 * <ul>
 *   <li>model hash: SHA-256 of everything after the header (the data section), hex;</li>
 *   <li>legacy hash: SHA-256 of the 64 KiB at file offset 1 MiB (fewer bytes, or none, when the
 *       file is shorter), first 8 hex digits.</li>
 * </ul>
 */
public final class KohyaHashes {
    private KohyaHashes() {}

    private static final long LEGACY_START = 0x100000;
    private static final long LEGACY_LENGTH = 0x10000;

    public record Hashes(String modelHash, String legacyHash) {}

    /**
     * @param tensors  a writer holding the tensors as they will be saved (dtype included)
     * @param metadata all metadata; only {@code ss_*} entries take part, as in sd-scripts
     */
    public static Hashes compute(SafetensorsWriter tensors, Map<String, String> metadata) throws TensorFileException {
        SafetensorsWriter view = tensors.withMetadataOnly(k -> k.startsWith("ss_"), metadata);
        DigestChannel ch = new DigestChannel(8 + view.headerLength());
        try {
            view.writeTo(ch, null);
        } catch (TensorFileException e) {
            throw e;
        } catch (IOException e) {
            throw new TensorFileException(null, null, "cannot hash: " + e.getMessage(), e);
        }
        return new Hashes(HexFormat.of().formatHex(ch.model.digest()),
                HexFormat.of().formatHex(ch.legacy.digest()).substring(0, 8));
    }

    /** A sink that feeds the data section to one digest and the legacy window to another. */
    private static final class DigestChannel implements WritableByteChannel {
        final MessageDigest model = sha256();
        final MessageDigest legacy = sha256();
        private final long dataStart;
        private long position;

        DigestChannel(long dataStart) {
            this.dataStart = dataStart;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            long start = position;
            long end = position + n;
            feed(model, src, start, end, dataStart, Long.MAX_VALUE);
            feed(legacy, src, start, end, LEGACY_START, LEGACY_START + LEGACY_LENGTH);
            src.position(src.limit());
            position = end;
            return n;
        }

        /** Feeds the part of src (covering [start, end) of the file) that lies in [from, to). */
        private static void feed(MessageDigest d, ByteBuffer src, long start, long end, long from, long to) {
            long lo = Math.max(start, from);
            long hi = Math.min(end, to);
            if (lo < hi) {
                ByteBuffer part = src.duplicate();
                part.position(src.position() + (int) (lo - start));
                part.limit(src.position() + (int) (hi - start));
                d.update(part);
            }
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
