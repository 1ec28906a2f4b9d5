package dev.bakehouse.model;

import dev.bakehouse.tensor.TensorFiles;
import dev.bakehouse.tensor.TensorSource;
import java.io.IOException;
import java.nio.file.Path;

/** Loads a single-file checkpoint (.safetensors or .ckpt) from disk, with its configuration from a file or its shapes. */
public final class Checkpoints {
    private Checkpoints() {}

    /**
     * @param config an LDM-named JSON config ({@link ModelConfigs#fromLdmJson}), or null to infer an
     *               SD1.x configuration from the weight shapes
     */
    public static StableDiffusion load(Path checkpoint, Path config, ComputeDevice device) throws IOException {
        try (TensorSource file = TensorFiles.open(checkpoint)) {
            WeightSource weights = new TensorSourceWeights(file);
            ModelConfig cfg = config != null ? ModelConfigs.fromLdmJson(config) : ModelConfigs.inferSd1(weights);
            return StableDiffusion.load(weights, cfg, device);
        }
    }
}
