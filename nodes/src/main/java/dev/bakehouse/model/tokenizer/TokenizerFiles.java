package dev.bakehouse.model.tokenizer;

import java.nio.file.Path;
import java.util.Objects;

/** Where one CLIP tokenizer's {@code vocab.json} and {@code merges.txt} live. */
public record TokenizerFiles(Path vocab, Path merges) {
    public static final String VOCAB = "vocab.json";
    public static final String MERGES = "merges.txt";

    public TokenizerFiles {
        Objects.requireNonNull(vocab, "vocab");
        Objects.requireNonNull(merges, "merges");
    }

    /** The two files inside one folder (HF/ComfyUI layout). */
    public static TokenizerFiles in(Path folder) {
        return new TokenizerFiles(folder.resolve(VOCAB), folder.resolve(MERGES));
    }
}
