package dev.bakehouse.node.sd;

import dev.bakehouse.model.ComputeDevice;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How the model nodes of one server are set up, besides its data dirs.
 *
 * @param device         where checkpoints compute
 * @param tokenizerDir   a folder holding the CLIP {@code vocab.json} + {@code merges.txt}
 *                       (the CLI's {@code --clip-tokenizer}), or {@code null} to search the usual
 *                       places ({@link dev.bakehouse.model.tokenizer.TokenizerLocator})
 * @param env            environment variables the tokenizer search reads
 * @param home           the user's home folder (Hugging Face cache)
 * @param maxCheckpoints how many checkpoints stay loaded at once
 */
public record ModelSettings(ComputeDevice device, Path tokenizerDir, Map<String, String> env, Path home,
        int maxCheckpoints) {
    /** Two checkpoints: enough to compare two models without reloading on every prompt. */
    public static final int DEFAULT_MAX_CHECKPOINTS = 2;

    public ModelSettings {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(home, "home");
        env = Map.copyOf(env);
    }

    /** The process's environment and home folder. */
    public static ModelSettings of(ComputeDevice device, Path tokenizerDir) {
        return new ModelSettings(device, tokenizerDir, System.getenv(), Path.of(System.getProperty("user.home")),
                DEFAULT_MAX_CHECKPOINTS);
    }
}
