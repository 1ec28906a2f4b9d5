package dev.bakehouse.train.data;

import dev.bakehouse.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code cache_latents} / {@code cache_latents_to_disk}: VAE latents of each (image, bucket,
 * flip), in memory and optionally on disk under a folder the caller chooses (the data dir's
 * cache, not the user's dataset). A file is named by the SHA-256 of the image bytes, the VAE
 * identity, the bucket and the flip, so an edited image or another VAE never reuses a stale
 * latent; files are written atomically.
 */
public final class LatentCache {
    /** The VAE encoder: RGB CHW in [-1, 1] of {@code height×width} to a latent (any layout, with its shape). */
    @FunctionalInterface
    public interface Encoder {
        Latent encode(float[] chw, int height, int width);
    }

    /** A latent and its shape (e.g. {4, h/8, w/8}). */
    public record Latent(int[] shape, float[] values) {}

    private static final int MAGIC = 0x424b4c54; // "BKLT"

    private final Path diskDir;
    private final String vaeIdentity;
    private final Encoder encoder;
    private final Map<String, Latent> memory = new HashMap<>();

    /**
     * @param diskDir where latents are kept between runs, or null for memory only
     * @param vaeIdentity names the VAE weights (e.g. their hash); part of every key
     */
    public LatentCache(Path diskDir, String vaeIdentity, Encoder encoder) {
        this.diskDir = diskDir;
        this.vaeIdentity = vaeIdentity;
        this.encoder = encoder;
    }

    /**
     * kohya's conflicts: a cached latent is one fixed crop and colour.
     *
     * @throws IllegalArgumentException naming cache_latents and the conflicting option
     */
    public static void checkCacheable(Augmentation aug) {
        aug.checkCacheable("cache_latents: ");
    }

    /** The latent of this image at this bucket and flip, encoding it on first use. */
    public Latent get(ImageEntry image, boolean flipped) throws IOException {
        String key = key(Files.readAllBytes(image.path()), image.bucket().bucket(), flipped);
        Latent cached = memory.get(key);
        if (cached != null) {
            return cached;
        }
        Path file = diskDir == null ? null : diskDir.resolve(key + ".latent");
        Latent latent = file != null && Files.isRegularFile(file) ? read(file) : null;
        if (latent == null) {
            ImageTransform.Result pixels = ImageTransform.apply(ImageFiles.read(image.path()), image.bucket(),
                    new Augmentation(false, false, false, null), null);
            float[] chw = flipped ? flip(pixels.chw(), image.bucket().bucket()) : pixels.chw();
            latent = encoder.encode(chw, image.bucket().bucket().height(), image.bucket().bucket().width());
            if (file != null) {
                write(file, latent);
            }
        }
        memory.put(key, latent);
        return latent;
    }

    String key(byte[] imageBytes, Size bucket, boolean flipped) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(imageBytes);
            sha.update(("\0" + vaeIdentity).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String h = HexFormat.of().formatHex(sha.digest()).substring(0, 32);
            return h + "_" + bucket.width() + "x" + bucket.height() + (flipped ? "_flip" : "");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[] flip(float[] chw, Size bucket) {
        int w = bucket.width();
        float[] out = new float[chw.length];
        for (int row = 0; row < chw.length / w; row++) {
            for (int x = 0; x < w; x++) {
                out[row * w + x] = chw[row * w + w - 1 - x];
            }
        }
        return out;
    }

    private static void write(Path file, Latent latent) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8 + 4 * latent.shape().length + 4 * latent.values().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(latent.shape().length);
        for (int d : latent.shape()) {
            buf.putInt(d);
        }
        buf.asFloatBuffer().put(latent.values());
        AtomicFiles.write(file, buf.array());
    }

    /** A cached file, or null when it is not a complete cache file (it is then re-encoded). */
    private static Latent read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.remaining() < 8 || buf.getInt() != MAGIC) {
            return null;
        }
        int rank = buf.getInt();
        if (rank < 1 || rank > 8 || buf.remaining() < 4 * rank) {
            return null;
        }
        int[] shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = buf.getInt();
            count *= shape[i];
        }
        if (count < 0 || buf.remaining() != 4 * count) {
            return null;
        }
        float[] values = new float[(int) count];
        buf.asFloatBuffer().get(values);
        return new Latent(shape, values);
    }
}
