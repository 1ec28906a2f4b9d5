package dev.bakehouse.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a run stands, as saved in a state folder beside the LoRA files ({@code save_state}):
 * {@code train_state.json} with kohya's {@code current_epoch}/{@code current_step} plus the
 * position inside the epoch, {@code lora.safetensors} (the factors in float32) and
 * {@code optimizer.safetensors}. Random draws derive from (seed, counters) ({@link StepSeeds}), so
 * these three files are the whole state: resuming continues bit for bit.
 *
 * @param epoch         0-based epoch the next batch belongs to
 * @param batchInEpoch  index of the next batch in that epoch
 * @param globalStep    optimizer updates done (kohya's {@code current_step})
 * @param microBatches  batches consumed since the start of the run (the noise stream's counter)
 * @param seed          the run's seed, which a resumed run must share
 */
public record TrainingState(int epoch, int batchInEpoch, long globalStep, long microBatches, long seed) {
    public static final String STATE_FILE = "train_state.json";
    static final String LORA_FILE = "lora.safetensors";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes the JSON part into {@code dir}. */
    void writeTo(Path dir) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("current_epoch", epoch);
        node.put("current_step", globalStep);
        node.put("batch_in_epoch", batchInEpoch);
        node.put("micro_batches", microBatches);
        node.put("seed", seed);
        AtomicFiles.write(dir.resolve(STATE_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
    }

    /** Reads a state folder, naming the folder and the field when something is missing. */
    public static TrainingState read(Path dir) {
        Path file = dir.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--resume " + dir + ": not a Bakehouse state folder (no " + STATE_FILE + ")");
        }
        for (String part : new String[] {LORA_FILE, OPTIMIZER_FILE}) {
            if (!Files.isRegularFile(dir.resolve(part))) {
                throw new IllegalArgumentException("--resume " + dir + ": the state is incomplete (no " + part + ")");
            }
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return new TrainingState(field(n, "current_epoch", file).asInt(), field(n, "batch_in_epoch", file).asInt(),
                    field(n, "current_step", file).asLong(), field(n, "micro_batches", file).asLong(),
                    field(n, "seed", file).asLong());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode field(JsonNode n, String name, Path file) {
        JsonNode v = n.get(name);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(file + ": missing or non-numeric field '" + name + "'");
        }
        return v;
    }

    /**
     * {@code --resume auto}: the state folder of this output name in {@code outputDir} with the most
     * steps done, if any.
     */
    public static Optional<Path> newest(Path outputDir, String outputName) {
        if (!Files.isDirectory(outputDir)) {
            return Optional.empty();
        }
        String prefix = outputName + "-";
        try (Stream<Path> dirs = Files.list(outputDir)) {
            return dirs.filter(Files::isDirectory)
                    .filter(d -> {
                        String n = d.getFileName().toString();
                        return n.endsWith("-state") && (n.startsWith(prefix) || n.equals(outputName + "-state"));
                    })
                    .filter(d -> Files.isRegularFile(d.resolve(STATE_FILE)))
                    .max(Comparator.comparingLong(d -> read(d).globalStep()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + outputDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fills a state folder through a temporary sibling and then moves it into place, so a kill
     * during the save leaves the previous folder of that name (or none) — never a half-written one.
     */
    static void writeFolder(Path dir, FolderBody body) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // createTempDirectory makes it owner-only; a state folder is as readable as the LoRA files
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try {
            body.fill(tmp);
            if (Files.exists(dir)) {
                Path old = Files.createTempDirectory(parent, "." + dir.getFileName() + ".old.");
                Files.move(dir, old.resolve("state"), StandardCopyOption.ATOMIC_MOVE);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    @FunctionalInterface
    interface FolderBody {
        void fill(Path dir) throws IOException;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
