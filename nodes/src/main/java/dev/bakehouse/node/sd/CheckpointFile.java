package dev.bakehouse.node.sd;

import dev.bakehouse.model.ModelConfigs;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint as the loaded-model cache knows it: the weights file (or diffusers folder) and its
 * optional sidecar config, each as of one modification.
 *
 * <p>The architecture comes from the weight shapes, or from an LDM-named JSON config beside the
 * file ({@code <name>.config.json}, the layout of {@code sd15-tiny/config.json}), which models
 * whose attention head count cannot be inferred (anything but SD1's 768-wide text encoder) need.
 *
 * @param weights the checkpoint file
 * @param config  the sidecar config, or {@code null} when there is none
 */
public record CheckpointFile(FileVersion weights, FileVersion config) {

    /** The checkpoint at {@code file} and its sidecar config, as they are now. */
    public static CheckpointFile of(Path file) {
        Path config = sidecarConfig(file);
        return new CheckpointFile(FileVersion.of(file), config == null ? null : FileVersion.of(config));
    }

    /** {@code <name>.config.json} beside {@code file} ({@link ModelConfigs#sidecarPath}). */
    public static Path sidecarPath(Path file) {
        return ModelConfigs.sidecarPath(file);
    }

    private static Path sidecarConfig(Path file) {
        Path config = sidecarPath(file);
        return Files.isRegularFile(config) ? config : null;
    }

    @Override
    public String toString() {
        return weights.file().getFileName().toString();
    }
}
