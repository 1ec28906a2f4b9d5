package dev.bakehouse.node.gachamax;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bakehouse.io.FileHashes;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.tensor.TensorFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a GACHAMAX LoRA came from, written into its safetensors metadata next to kohya's
 * {@code ss_*} keys. The keys are not {@code ss_} keys, so kohya's {@code sshs_model_hash} (taken
 * over the tensors and {@code ss_*} entries only) stays the hash of the trained file, and the
 * parent hash names the parent's {@code sshs_model_hash} as A1111 and kohya show it.
 *
 * @param loop              the loop's name
 * @param round             the round that trained it
 * @param parentHash        the previous round's LoRA {@code sshs_model_hash}; null in round 1
 * @param datasetVersion    the dataset version it trained on
 * @param pickedImageHashes SHA-256 of the images picked into that version (new in it)
 * @param pickedSeeds       the generation seeds of those images, in the same order
 */
public record LoraLineage(String loop, int round, String parentHash, int datasetVersion, List<String> pickedImageHashes,
                          List<Long> pickedSeeds) {
    public static final String LOOP = "bakehouse_gachamax_loop";
    public static final String ROUND = "bakehouse_gachamax_round";
    public static final String PARENT = "bakehouse_gachamax_parent";
    public static final String DATASET_VERSION = "bakehouse_gachamax_dataset_version";
    public static final String PICKED_IMAGES = "bakehouse_gachamax_picked_images";
    public static final String SEEDS = "bakehouse_gachamax_seeds";
    private static final String MODEL_HASH = "sshs_model_hash";
    private static final ObjectMapper JSON = new ObjectMapper();

    public LoraLineage {
        pickedImageHashes = List.copyOf(pickedImageHashes);
        pickedSeeds = List.copyOf(pickedSeeds);
        if (pickedImageHashes.size() != pickedSeeds.size()) {
            throw new IllegalArgumentException("lineage: " + pickedImageHashes.size() + " picked images but "
                    + pickedSeeds.size() + " seeds");
        }
    }

    /** The metadata entries (a round-1 LoRA has an empty parent). */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(LOOP, loop);
        m.put(ROUND, Integer.toString(round));
        m.put(PARENT, parentHash == null ? "" : parentHash);
        m.put(DATASET_VERSION, Integer.toString(datasetVersion));
        try {
            m.put(PICKED_IMAGES, JSON.writeValueAsString(pickedImageHashes));
            m.put(SEEDS, JSON.writeValueAsString(pickedSeeds));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("lists of strings and numbers always encode", e);
        }
        return m;
    }

    /** The lineage in a LoRA's metadata, or empty when it has none. */
    public static Optional<LoraLineage> of(Map<String, String> metadata) {
        if (!metadata.containsKey(ROUND)) {
            return Optional.empty();
        }
        try {
            String parent = metadata.getOrDefault(PARENT, "");
            return Optional.of(new LoraLineage(metadata.get(LOOP), Integer.parseInt(metadata.get(ROUND)),
                    parent.isEmpty() ? null : parent, Integer.parseInt(metadata.get(DATASET_VERSION)),
                    JSON.readValue(metadata.get(PICKED_IMAGES), new TypeReference<List<String>>() {}),
                    JSON.readValue(metadata.get(SEEDS), new TypeReference<List<Long>>() {})));
        } catch (JsonProcessingException | NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("GACHAMAX lineage metadata: expected " + ROUND + ", " + DATASET_VERSION
                    + " as integers and " + PICKED_IMAGES + ", " + SEEDS + " as JSON lists; found " + metadata, e);
        }
    }

    /**
     * Writes a copy of the trained LoRA {@code trained} to {@code target} with this lineage added
     * to its metadata (temp file, then moved into place) and returns the copy's
     * {@code sshs_model_hash} (the trained file's whole SHA-256 when it has none).
     */
    public String writeCopy(Path trained, Path target) {
        try (SafetensorsFile source = SafetensorsFile.open(trained)) {
            SafetensorsWriter writer = new SafetensorsWriter();
            for (String name : source.names()) {
                writer.copyFrom(source, name, name);
            }
            Map<String, String> meta = new LinkedHashMap<>(source.metadata());
            meta.putAll(metadata());
            writer.metadata(meta);
            writer.write(target);
            String hash = source.metadata().get(MODEL_HASH);
            return hash != null ? hash : FileHashes.sha256(trained);
        } catch (TensorFileException e) {
            throw new IllegalArgumentException("GACHAMAX: cannot copy the LoRA " + trained + " to " + target + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("GACHAMAX: cannot copy the LoRA " + trained + ": " + e.getMessage(), e);
        }
    }
}
