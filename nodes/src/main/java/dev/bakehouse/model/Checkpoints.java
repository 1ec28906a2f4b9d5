package dev.bakehouse.model;

import dev.bakehouse.tensor.TensorFiles;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.sd.ArchitectureDetector;
import java.io.IOException;
import java.nio.file.Path;

/** Loads a single-file checkpoint (.safetensors or .ckpt) from disk, with its configuration from a file or its shapes. */
public final class Checkpoints {
    private Checkpoints() {}

    /**
     * @param config an LDM-named JSON config ({@link ModelConfigs#fromLdmJson}), or null to detect an
     *               SD1.x configuration from the keys and shapes
     */
    public static StableDiffusion load(Path checkpoint, Path config, ComputeDevice device) throws IOException {
        try (TensorSource file = TensorFiles.open(checkpoint)) {
            WeightSource weights = new TensorSourceWeights(file);
            ModelConfig cfg = config != null ? ModelConfigs.fromLdmJson(config)
                    : ModelConfigs.fromDetected(ArchitectureDetector.detect(file), checkpoint.toString());
            return StableDiffusion.load(weights, cfg, device);
        }
    }
}
