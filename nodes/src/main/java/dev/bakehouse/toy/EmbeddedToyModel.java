package dev.bakehouse.toy;

import dev.bakehouse.io.AtomicFiles;
import dev.bakehouse.io.FileHashes;
import dev.bakehouse.model.ModelConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The toy base model that ships inside the jar ({@code bakehouse pretrain-toy}'s output, committed
 * with the command that made it), so that a fresh install draws and trains with no download. The
 * checkpoint code memory-maps files, so the model is copied out of the jar once into the data
 * dir's cache, under a folder named by its content hash: a newer jar with another model never
 * reads a stale copy, and a half-written copy is never seen (temp file, then move).
 */
public final class EmbeddedToyModel {
    /** The name LoadCheckpoint lists it under (last, after the user's own checkpoints). */
    public static final String NAME = "toy-sd1.safetensors";
    private static final String RESOURCE = "/dev/bakehouse/toy/model/" + NAME;
    private static final String CONFIG_RESOURCE = "/dev/bakehouse/toy/model/toy-sd1.config.json";
    private static final String CACHE_FOLDER = "cache/embedded";

    private EmbeddedToyModel() {}

    /** Whether this build carries the toy model (a source tree before its first pretraining does not). */
    public static boolean available() {
        return EmbeddedToyModel.class.getResource(RESOURCE) != null
                && EmbeddedToyModel.class.getResource(CONFIG_RESOURCE) != null;
    }

    /** Whether a user-facing checkpoint name means the embedded model ({@code toy-sd1} or {@value #NAME}). */
    public static boolean isName(String name) {
        return NAME.equals(name) || "toy-sd1".equals(name);
    }

    /**
     * The model's file under {@code dataRoot}, copied out of the jar if this version is not there
     * yet; its sidecar config lies beside it.
     */
    public static synchronized Path file(Path dataRoot) {
        if (!available()) {
            throw new IllegalStateException("this build carries no embedded toy model (" + RESOURCE
                    + "); run `bakehouse pretrain-toy` and put its output into models/checkpoints");
        }
        try {
            byte[] weights = read(RESOURCE);
            byte[] config = read(CONFIG_RESOURCE);
            MessageDigest digest = FileHashes.sha256Digest();
            digest.update(weights);
            digest.update(config);
            String version = HexFormat.of().formatHex(digest.digest()).substring(0, 16);
            Path file = dataRoot.resolve(CACHE_FOLDER).resolve(version).resolve(NAME);
            Path sidecar = ModelConfigs.sidecarPath(file);
            if (!Files.isRegularFile(sidecar) || Files.size(sidecar) != config.length) {
                // the weights first: a sidecar present means the copy is complete
                copy(file, weights);
                copy(sidecar, config);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the embedded toy model into " + dataRoot.resolve(CACHE_FOLDER), e);
        }
    }

    private static void copy(Path target, byte[] content) throws IOException {
        if (Files.isRegularFile(target) && Files.size(target) == content.length) {
            return;
        }
        AtomicFiles.write(target, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = EmbeddedToyModel.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing resource " + resource);
            }
            return in.readAllBytes();
        }
    }
}
