package dev.bakehouse.node.sd;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.model.Checkpoints;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.model.tokenizer.TextualInversion;
import dev.bakehouse.model.tokenizer.TextualInversionReader;
import dev.bakehouse.model.tokenizer.TokenizerFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loaded checkpoints, LoRA files, textual-inversion embeddings and tokenizers of one server, each
 * read once per file version ({@link FileVersion}: path + mtime + size), so repeated prompts do not
 * reload them.
 *
 * <p>Checkpoints hold native memory: at most {@code maxCheckpoints} stay loaded, and one that
 * leaves the cache is closed once nobody runs it (a run holds the model's monitor, see
 * {@link PatchedCheckpoint}). Node values (MODEL, CLIP, VAE) keep only the {@link CheckpointFile}
 * and look the model up here on every use, so an evicted checkpoint is simply loaded again.
 * Removal runs on the calling thread, so tests see it at once.
 */
public final class ModelCache implements AutoCloseable {
    private final ComputeDevice device;
    private final Cache<CheckpointFile, StableDiffusion> checkpoints;
    private final Cache<FileVersion, LoraNetwork> loras;
    private final Cache<TokenizerFiles, ClipTokenizer> tokenizers;
    private final Cache<FileVersion, TextualInversion> embeddings;
    private final AtomicInteger checkpointLoads = new AtomicInteger();

    /**
     * @param device         where checkpoints compute
     * @param maxCheckpoints how many checkpoints stay loaded at once (at least 1)
     */
    public ModelCache(ComputeDevice device, int maxCheckpoints) {
        if (maxCheckpoints < 1) {
            throw new IllegalArgumentException("maxCheckpoints must be at least 1, found " + maxCheckpoints);
        }
        this.device = device;
        this.checkpoints = Caffeine.newBuilder()
                .maximumSize(maxCheckpoints)
                .executor(Runnable::run)
                .removalListener((CheckpointFile key, StableDiffusion model, RemovalCause cause) -> closeWhenIdle(model))
                .build();
        this.loras = Caffeine.newBuilder().maximumSize(32).build();
        this.tokenizers = Caffeine.newBuilder().maximumSize(4).build();
        // a few KB each (vectors x 768 floats): enough for every embedding a prompt set uses
        this.embeddings = Caffeine.newBuilder().maximumSize(256).build();
    }

    public ComputeDevice device() {
        return device;
    }

    /** The loaded checkpoint, loading it on first use; errors name the file. */
    public StableDiffusion checkpoint(CheckpointFile file) {
        return checkpoints.get(file, this::load);
    }

    /** The parsed LoRA file. */
    public LoraNetwork lora(FileVersion file) {
        return loras.get(file, f -> {
            try {
                return LoraReader.read(f.file());
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
    }

    /** The textual-inversion embedding in this file; a bad file's error names it. */
    public TextualInversion embedding(FileVersion file) {
        return embeddings.get(file, f -> {
            try {
                return TextualInversionReader.read(f.file());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read textual-inversion embedding " + e.getMessage(), e);
            }
        });
    }

    /** The tokenizer of these vocabulary files. */
    public ClipTokenizer tokenizer(TokenizerFiles files) {
        return tokenizers.get(files, ClipTokenizer::load);
    }

    /** How many times a checkpoint was read from disk (for tests and logs). */
    public int checkpointLoads() {
        return checkpointLoads.get();
    }

    /** How many checkpoints are loaded now. */
    public long loadedCheckpoints() {
        checkpoints.cleanUp();
        return checkpoints.estimatedSize();
    }

    /**
     * Unloads every checkpoint (each closed once its running users are done) and forgets the
     * parsed LoRAs and embeddings ({@code POST /free} with {@code unload_models}). The cache stays
     * usable: node
     * values look their model up on every use, so the next run simply loads it again.
     */
    public void unload() {
        checkpoints.invalidateAll();
        checkpoints.cleanUp();
        loras.invalidateAll();
        embeddings.invalidateAll();
    }

    /** Unloads everything, tokenizers included. */
    @Override
    public void close() {
        unload();
        tokenizers.invalidateAll();
    }

    private StableDiffusion load(CheckpointFile file) {
        try {
            StableDiffusion model = Checkpoints.load(file.weights().file(),
                    file.config() == null ? null : file.config().file(), device);
            checkpointLoads.incrementAndGet();
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load checkpoint " + file.weights().file() + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load checkpoint " + file.weights().file() + ": " + e.getMessage()
                    + (file.config() == null ? " (an LDM config JSON at "
                            + CheckpointFile.sidecarPath(file.weights().file()) + " sets the architecture)" : ""), e);
        }
    }

    /** Closes a model that left the cache, after any run holding it has finished. */
    private static void closeWhenIdle(StableDiffusion model) {
        synchronized (model) {
            model.close();
        }
    }
}
