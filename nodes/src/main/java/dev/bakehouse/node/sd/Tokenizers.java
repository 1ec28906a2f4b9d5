package dev.bakehouse.node.sd;

import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.model.tokenizer.TokenizerLocator;
import dev.bakehouse.node.DataDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Finds the CLIP tokenizer for a checkpoint, per {@link TokenizerLocator}'s order, and loads it once. */
final class Tokenizers {
    private final DataDirs dirs;
    private final ModelSettings settings;
    private final ModelCache cache;

    Tokenizers(DataDirs dirs, ModelSettings settings, ModelCache cache) {
        this.dirs = dirs;
        this.settings = settings;
        this.cache = cache;
    }

    /**
     * The tokenizer for a checkpoint file or diffusers folder, looked up when first asked for; throws
     * {@code TokenizerNotFoundException} listing every place searched.
     */
    Supplier<ClipTokenizer> forCheckpoint(Path checkpoint) {
        // A diffusers folder keeps its tokenizer inside; a single file beside it.
        Path modelFolder = Files.isDirectory(checkpoint) ? checkpoint : checkpoint.getParent();
        return () -> cache.tokenizer(TokenizerLocator.standard(settings.tokenizerDir(), dirs.root(),
                modelFolder, settings.env(), settings.home()).locate());
    }
}
