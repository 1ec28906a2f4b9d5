package dev.bakehouse.lora.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.io.FileHashes;
import dev.bakehouse.tensor.sd.DetectedArchitecture.Family;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * What a checkpoint with LoRAs baked in records about its sources, so the file says how it was
 * made: {@value #SOURCES_KEY}, a JSON list of the base checkpoint and each LoRA with its file
 * name, SHA-256 and ratio (and block weights when given), plus, unless left out, kohya's
 * {@code modelspec.*} with {@code merged_from} (the sources' titles). The CLI's {@code merge_lora
 * --sd_model} and the {@code MergeLoRA} node write the same fields.
 *
 * <p>Hashing a 2 GB base takes as long as reading it, so it runs on its own thread while the merge
 * streams ({@link #start}): the header is first written with 64-zero placeholders of the same width
 * and rewritten with the hashes at the end (SurgeryBench measured the merge at a third of copy
 * speed when it hashed first).
 */
public final class MergeProvenance {
    /** The metadata key of the source list. */
    public static final String SOURCES_KEY = "bakehouse.merge_sources";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLACEHOLDER = "0".repeat(64);

    private MergeProvenance() {}

    /** @param blockWeights null when the LoRA was merged without block weights */
    public record LoraFile(Path file, float ratio, LoraBlockWeights blockWeights) {}

    /**
     * The metadata with placeholder hashes, and the final metadata once the hashes are done.
     *
     * @param finalMetadata waits for the hashes; throws {@link UncheckedIOException} when a
     *                      source could not be read
     */
    public record Pending(Map<String, String> placeholders, Supplier<Map<String, String>> finalMetadata) {}

    /**
     * Starts hashing the sources (one background thread, base first) and returns at once.
     *
     * @param family    the checkpoint's family (for modelspec)
     * @param modelSpec false for kohya's {@code --no_metadata}: only the source list is written
     */
    public static Pending start(Path checkpoint, Family family, List<LoraFile> loras, Path target, boolean modelSpec,
                                Instant now, ZoneId zone) {
        List<Path> files = new ArrayList<>();
        files.add(checkpoint);
        loras.forEach(l -> files.add(l.file()));
        CompletableFuture<List<String>> hashes = new CompletableFuture<>();
        Thread hashing = new Thread(() -> {
            try {
                List<String> done = new ArrayList<>();
                for (Path f : files) {
                    done.add(FileHashes.sha256(f));
                }
                hashes.complete(done);
            } catch (IOException | RuntimeException e) {
                hashes.completeExceptionally(e);
            }
        }, "merge-source-hashes");
        hashing.setDaemon(true);
        hashing.start();
        List<String> zeros = files.stream().map(f -> PLACEHOLDER).toList();
        return new Pending(metadata(files, zeros, loras, checkpoint, family, target, modelSpec, now, zone), () -> {
            try {
                return metadata(files, hashes.join(), loras, checkpoint, family, target, modelSpec, now, zone);
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                throw new UncheckedIOException("cannot hash a merge source of " + target + ": " + cause.getMessage(),
                        cause instanceof IOException io ? io : new IOException(cause));
            }
        });
    }

    private static Map<String, String> metadata(List<Path> files, List<String> hashes, List<LoraFile> loras, Path checkpoint,
                                                Family family, Path target, boolean modelSpec, Instant now, ZoneId zone) {
        ArrayNode record = JSON.createArrayNode();
        record.addObject().put("role", "base").put("file", checkpoint.getFileName().toString()).put("sha256", hashes.get(0));
        List<String> titles = new ArrayList<>();
        titles.add(SurgeryMetadata.title(checkpoint));
        for (int i = 0; i < loras.size(); i++) {
            LoraFile l = loras.get(i);
            ObjectNode o = record.addObject().put("role", "lora").put("file", l.file().getFileName().toString())
                    .put("sha256", hashes.get(i + 1));
            o.put("ratio", l.ratio());
            if (l.blockWeights() != null) {
                ArrayNode v = o.putArray("block_weights");
                for (float r : l.blockWeights().ratios26()) {
                    v.add(r);
                }
            }
            titles.add(SurgeryMetadata.title(l.file()));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        try {
            metadata.put(SOURCES_KEY, JSON.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
        if (modelSpec) {
            metadata.putAll(SurgeryMetadata.checkpointModelSpec(family, SurgeryMetadata.title(target), now, zone,
                    String.join(", ", titles)));
        }
        return metadata;
    }
}
