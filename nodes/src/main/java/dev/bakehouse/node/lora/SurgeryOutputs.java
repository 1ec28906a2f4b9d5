package dev.bakehouse.node.lora;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraWriter;
import dev.bakehouse.lora.ops.SurgeryMetadata;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.sd.DetectedArchitecture.Family;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the surgery nodes save what they make, and the inputs they share: a
 * {@code filename_prefix} inside a model folder ({@code models/loras}, {@code models/checkpoints})
 * gets ComfyUI's counter ({@code <prefix>_00001_.safetensors}, one above the highest present), so
 * running a graph again never overwrites an earlier result; the saved file is listed under its
 * model name at once, for LoadLoRA / LoadCheckpoint.
 */
final class SurgeryOutputs {
    static final String PREFIX = "filename_prefix";
    static final String SAVE_PRECISION = "save_precision";

    private SurgeryOutputs() {}

    /** A file in a model folder and its name there (forward slashes), as the loaders list it. */
    record ModelFile(Path path, String name) {}

    static StringInput prefixInput(String defaultPrefix, String folder) {
        return StringInput.of(PREFIX, defaultPrefix).withTooltip("Saved as <prefix>_<counter>_.safetensors under models/"
                + folder + "; a prefix with '/' saves in a subfolder.");
    }

    static ComboInput precisionInput(String firstChoice) {
        List<String> choices = firstChoice == null ? List.of("float", "fp16", "bf16") : List.of(firstChoice, "float", "fp16", "bf16");
        return ComboInput.of(SAVE_PRECISION, choices).withTooltip("dtype of the saved weights (kohya --save_precision).");
    }

    /** kohya's {@code --save_precision} spelling; null for "as the input" ({@code keep}). */
    static DType dtype(String precision) {
        return switch (precision) {
            case "float" -> DType.F32;
            case "fp16" -> DType.F16;
            case "bf16" -> DType.BF16;
            case "keep" -> null;
            default -> throw new IllegalArgumentException(SAVE_PRECISION + " must be keep, float, fp16 or bf16, got '" + precision + "'");
        };
    }

    /**
     * The next free {@code <prefix>_<counter>_.safetensors} in our own folder of that model kind.
     *
     * @throws IllegalArgumentException if the prefix is empty or leads outside the folder
     */
    static ModelFile next(DataDirs dirs, String folder, String prefix) {
        String clean = prefix.strip().replace('\\', '/');
        if (clean.isEmpty() || clean.endsWith("/")) {
            throw new IllegalArgumentException(PREFIX + " '" + prefix + "' must end in a file name");
        }
        Path base = dirs.models(folder);
        Path stem = DataDirs.resolveInside(base, clean);
        String start = stem.getFileName() + "_";
        try {
            Files.createDirectories(stem.getParent());
            int highest;
            try (Stream<Path> files = Files.list(stem.getParent())) {
                highest = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(start))
                        .mapToInt(n -> counter(n.substring(start.length()))).max().orElse(0);
            }
            Path file = stem.resolveSibling(String.format("%s%05d_.safetensors", start, highest + 1));
            return new ModelFile(file, base.relativize(file).toString().replace('\\', '/'));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + stem.getParent() + ": " + e.getMessage(), e);
        }
    }

    private static int counter(String rest) {
        int end = rest.indexOf('_');
        try {
            return Integer.parseInt(end < 0 ? rest : rest.substring(0, end));
        } catch (NumberFormatException notOurs) {
            return 0;
        }
    }

    /** Writes a LoRA with kohya's modelspec (title = the file's name) and sshs hashes; returns what was written. */
    static LoraNetwork writeLora(LoraNetwork network, ModelFile file, DType saveDtype, Family family, Clock clock)
            throws TensorFileException {
        Map<String, String> metadata = new LinkedHashMap<>(network.metadata());
        metadata.putAll(SurgeryMetadata.loraModelSpec(family == null ? Family.SD1 : family,
                SurgeryMetadata.title(file.path()), clock.instant(), clock.getZone()));
        LoraNetwork withSpec = new LoraNetwork(network.modules(), metadata, network.unknownKeys(), network.styles());
        LoraWriter.write(withSpec, file.path(), saveDtype, true);
        return withSpec;
    }

    /** ComfyUI's {@code ui.text}: lines the front end shows under the node. */
    static ObjectNode text(String... lines) {
        ObjectNode ui = JsonNodeFactory.instance.objectNode();
        var array = ui.putArray("text");
        for (String line : lines) {
            array.add(line);
        }
        return ui;
    }
}
