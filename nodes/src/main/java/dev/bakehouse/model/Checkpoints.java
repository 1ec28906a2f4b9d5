package dev.bakehouse.model;

import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorFiles;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.sd.ArchitectureDetector;
import dev.bakehouse.tensor.sd.CheckpointView;
import dev.bakehouse.tensor.sd.DiffusersFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a checkpoint from disk: a single file (.safetensors or .ckpt) or a diffusers folder, both
 * seen through {@link CheckpointView} (the one place where old key spellings and the EMA choice
 * are handled), with its configuration from a file or from its shapes.
 */
public final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

    private Checkpoints() {}

    /** The plain (non-EMA) weights, as A1111 loads them. */
    public static StableDiffusion load(Path checkpoint, Path config, ComputeDevice device) throws IOException {
        return load(checkpoint, config, CheckpointView.Weights.NON_EMA, device);
    }

    /**
     * @param checkpoint a single-file checkpoint, or a diffusers folder ({@code unet/}, {@code vae/},
     *                   {@code text_encoder/})
     * @param config     an LDM-named JSON config ({@link ModelConfigs#fromLdmJson}), or null to detect
     *                   an SD1.x configuration from the keys and shapes
     * @param weights    which UNet weights to take from a training checkpoint that has EMA copies
     */
    public static StableDiffusion load(Path checkpoint, Path config, CheckpointView.Weights weights,
                                       ComputeDevice device) throws IOException {
        try (TensorSource file = open(checkpoint)) {
            TensorSource view = CheckpointView.of(file, weights);
            ModelConfig cfg = config != null ? ModelConfigs.fromLdmJson(config)
                    : ModelConfigs.fromDetected(ArchitectureDetector.detect(view), checkpoint.toString());
            return StableDiffusion.load(new TensorSourceWeights(view), cfg, device);
        }
    }

    private static TensorSource open(Path checkpoint) throws TensorFileException {
        if (!Files.isDirectory(checkpoint)) {
            return TensorFiles.open(checkpoint);
        }
        DiffusersFolder.Opened folder = DiffusersFolder.open(checkpoint);
        if (!folder.unmappedKeys().isEmpty()) {
            // Keys the single-file layout has no name for cannot be weights the model binds.
            LOG.warn("{}: {} diffusers tensor(s) have no single-file name and are not loaded: {}",
                    checkpoint, folder.unmappedKeys().size(), folder.unmappedKeys());
        }
        return folder.tensors();
    }
}
