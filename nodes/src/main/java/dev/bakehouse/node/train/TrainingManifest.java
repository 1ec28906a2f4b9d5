package dev.bakehouse.node.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a TrainLoRA run left in its output folder, written beside its files
 * ({@value #FILE_NAME}): the run id, whether it finished or was stopped, and each LoRA file with
 * its size and modification time. A re-queued run with the same id returns a finished run's files
 * without training, also after a server restart, as long as every file is still there unchanged;
 * a stopped one continues from its state.
 *
 * @param runId     {@link #runId}
 * @param finished  true when training ran to its end; false when stopped with a state
 * @param loras     the LoRA files in the order written, as they were then
 * @param chart     the loss chart
 * @param resumeDir the state folder of a stopped run, else null
 */
record TrainingManifest(String runId, boolean finished, List<RecordedFile> loras, Path chart, Path resumeDir) {
    static final String FILE_NAME = "bakehouse_run.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A file as written: any later change to it means the run's outputs are not what they were. */
    record RecordedFile(Path file, long size, long modifiedMillis) {
        static RecordedFile of(Path file) {
            try {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                return new RecordedFile(file, attrs.size(), attrs.lastModifiedTime().toMillis());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        boolean unchanged() {
            if (!Files.isRegularFile(file)) {
                return false;
            }
            RecordedFile now = of(file);
            return now.size == size && now.modifiedMillis == modifiedMillis;
        }
    }

    /**
     * The id of a run: a hash of the base checkpoint's version, the dataset's fingerprint and every
     * option, so any change to what would be trained gives another id.
     */
    static String runId(Object checkpointVersion, String datasetFingerprint, Map<String, Object> options) {
        ObjectNode id = JSON.createObjectNode();
        id.put("checkpoint", String.valueOf(checkpointVersion));
        id.put("dataset", datasetFingerprint);
        id.set("options", JSON.valueToTree(options));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(JSON.writeValueAsString(id).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot hash the run's inputs", e);
        }
    }

    /** The manifest in {@code dir}, or empty when there is none or it cannot be read (then the run trains again). */
    static Optional<TrainingManifest> read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            List<RecordedFile> loras = new ArrayList<>();
            for (JsonNode f : n.path("loras")) {
                loras.add(new RecordedFile(dir.resolve(f.path("file").asText()), f.path("size").asLong(),
                        f.path("modified_ms").asLong()));
            }
            return Optional.of(new TrainingManifest(n.path("run_id").asText(), n.path("finished").asBoolean(), loras,
                    n.hasNonNull("chart") ? dir.resolve(n.get("chart").asText()) : null,
                    n.hasNonNull("resume_from") ? dir.resolve(n.get("resume_from").asText()) : null));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether this finished run's files are all still there as written. */
    boolean reusable(String id) {
        return finished && runId.equals(id) && !loras.isEmpty() && loras.stream().allMatch(RecordedFile::unchanged)
                && chart != null && Files.isRegularFile(chart);
    }

    /** The state a stopped run of this id can continue from, if it is still there. */
    Optional<Path> resumable(String id) {
        return !finished && runId.equals(id) && resumeDir != null && Files.isDirectory(resumeDir)
                ? Optional.of(resumeDir) : Optional.empty();
    }

    /** Writes it into {@code dir} (temp file, then moved into place); paths are stored relative to it. */
    void write(Path dir) {
        ObjectNode n = JSON.createObjectNode();
        n.put("run_id", runId);
        n.put("finished", finished);
        ArrayNode files = n.putArray("loras");
        for (RecordedFile f : loras) {
            files.addObject().put("file", relative(dir, f.file())).put("size", f.size()).put("modified_ms", f.modifiedMillis());
        }
        n.put("chart", chart == null ? null : relative(dir, chart));
        n.put("resume_from", resumeDir == null ? null : relative(dir, resumeDir));
        try {
            AtomicFiles.write(dir.resolve(FILE_NAME), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /** Removes the manifest of another run before this folder's files are overwritten. */
    static void forget(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    private static String relative(Path dir, Path file) {
        return dir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
