package dev.bakehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lays out a data dir with the tiny SD1 fixture as a user would: {@code tiny.safetensors} and its
 * sidecar {@code tiny.config.json} in {@code models/checkpoints}, {@code lora.safetensors} in
 * {@code models/loras}, the CLIP tokenizer in {@code models/tokenizers/clip-vit-large-patch14}.
 */
public final class TinyDataDir {
    public static final String CHECKPOINT = "tiny.safetensors";
    public static final String LORA = "lora.safetensors";

    private TinyDataDir() {}

    /** Copies the fixture files into {@code root}; returns {@code root}. */
    public static Path populate(Path root) {
        try {
            Path checkpoints = Files.createDirectories(root.resolve("models/checkpoints"));
            Files.copy(Fixtures.file("sd15-tiny/tiny.safetensors"), checkpoints.resolve(CHECKPOINT));
            // The tiny model's head count is not visible in its shapes: its config goes beside it.
            Files.copy(Fixtures.file("sd15-tiny/config.json"), checkpoints.resolve("tiny.config.json"));
            Path loras = Files.createDirectories(root.resolve("models/loras"));
            Files.copy(Fixtures.file("sd15-tiny/lora.safetensors"), loras.resolve(LORA));
            Path tokenizer = Files.createDirectories(root.resolve("models/tokenizers/clip-vit-large-patch14"));
            for (String file : new String[] {"vocab.json", "merges.txt"}) {
                Files.copy(Fixtures.file("clip-tokenizer/" + file), tokenizer.resolve(file));
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the tiny data dir in " + root, e);
        }
    }
}
