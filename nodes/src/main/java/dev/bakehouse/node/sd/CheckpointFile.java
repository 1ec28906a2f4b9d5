package dev.bakehouse.node.sd;

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
    static final String CONFIG_SUFFIX = ".config.json";

    /** The checkpoint at {@code file} and its sidecar config, as they are now. */
    public static CheckpointFile of(Path file) {
        Path config = sidecarConfig(file);
        return new CheckpointFile(FileVersion.of(file), config == null ? null : FileVersion.of(config));
    }

    /**
     * {@code <name>.config.json} beside {@code file}, {@code name} without its extension (a
     * diffusers folder's whole name: dots in folder names are no extension).
     */
    public static Path sidecarPath(Path file) {
        String name = file.getFileName().toString();
        int dot = Files.isDirectory(file) ? -1 : name.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + CONFIG_SUFFIX);
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
