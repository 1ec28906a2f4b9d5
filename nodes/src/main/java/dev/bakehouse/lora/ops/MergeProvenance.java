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

/**
 * What a checkpoint with LoRAs baked in records about its sources, so the file says how it was
 * made: {@value #SOURCES_KEY}, a JSON list of the base checkpoint and each LoRA with its file
 * name, SHA-256 and ratio (and block weights when given), plus, unless left out, kohya's
 * {@code modelspec.*} with {@code merged_from} (the sources' titles). The CLI's {@code merge_lora
 * --sd_model} and the {@code MergeLoRA} node write the same fields.
 */
public final class MergeProvenance {
    /** The metadata key of the source list. */
    public static final String SOURCES_KEY = "bakehouse.merge_sources";

    private static final ObjectMapper JSON = new ObjectMapper();

    private MergeProvenance() {}

    /** @param blockWeights null when the LoRA was merged without block weights */
    public record LoraFile(Path file, float ratio, LoraBlockWeights blockWeights) {}

    /**
     * @param family    the checkpoint's family (for modelspec)
     * @param modelSpec false for kohya's {@code --no_metadata}: only the source list is written
     * @throws UncheckedIOException when a source cannot be read for hashing
     */
    public static Map<String, String> metadata(Path checkpoint, Family family, List<LoraFile> loras, Path target,
                                               boolean modelSpec, Instant now, ZoneId zone) {
        ArrayNode record = JSON.createArrayNode();
        record.addObject().put("role", "base").put("file", checkpoint.getFileName().toString())
                .put("sha256", sha256(checkpoint));
        List<String> titles = new ArrayList<>();
        titles.add(SurgeryMetadata.title(checkpoint));
        for (LoraFile l : loras) {
            ObjectNode o = record.addObject().put("role", "lora").put("file", l.file().getFileName().toString())
                    .put("sha256", sha256(l.file()));
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

    private static String sha256(Path file) {
        try {
            return FileHashes.sha256(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash merge source " + file + ": " + e.getMessage(), e);
        }
    }
}
