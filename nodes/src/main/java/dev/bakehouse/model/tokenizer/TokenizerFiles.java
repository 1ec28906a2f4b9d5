package dev.bakehouse.model.tokenizer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one CLIP tokenizer's {@code vocab.json} and {@code merges.txt} live.
 *
 * <p>{@code vocab} may be null: CLIP's vocabulary is fully determined by its merges list (see
 * {@link ClipVocab}), so a merges file alone is enough — that is how OpenAI ships it
 * ({@code bpe_simple_vocab_16e6.txt.gz}) and how {@link BundledTokenizer} ships it. A merges file
 * whose name ends in {@code .gz} is read through gzip.
 */
public record TokenizerFiles(Path vocab, Path merges) {
    public static final String VOCAB = "vocab.json";
    public static final String MERGES = "merges.txt";

    public TokenizerFiles {
        Objects.requireNonNull(merges, "merges");
    }

    /** The two files inside one folder (HF/ComfyUI layout). */
    public static TokenizerFiles in(Path folder) {
        return new TokenizerFiles(folder.resolve(VOCAB), folder.resolve(MERGES));
    }

    /** A merges file only (plain or {@code .gz}); the vocabulary is derived from it. */
    public static TokenizerFiles mergesOnly(Path merges) {
        return new TokenizerFiles(null, merges);
    }

    /** Whether the vocabulary is built from the merges rather than read from {@code vocab.json}. */
    public boolean derivesVocab() {
        return vocab == null;
    }

    boolean mergesGzipped() {
        return merges.getFileName().toString().endsWith(".gz");
    }
}
