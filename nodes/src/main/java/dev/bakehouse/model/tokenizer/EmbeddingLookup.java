package dev.bakehouse.model.tokenizer;

import java.util.Optional;

/**
 * Finds the textual-inversion embedding a prompt names ({@code embedding:<name>}), the way
 * ComfyUI's {@code load_embed} looks through its embeddings folders.
 */
@FunctionalInterface
public interface EmbeddingLookup {

    /**
     * The embedding called {@code name} (a file name with or without its extension, possibly with
     * sub-folders), or empty when no embeddings folder has it.
     *
     * @throws IllegalArgumentException if the file exists but is not a usable embedding (the
     *                                  message names the file and says why)
     */
    Optional<TextualInversion> find(String name);
}
