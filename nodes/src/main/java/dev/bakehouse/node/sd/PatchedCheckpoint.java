package dev.bakehouse.node.sd;

import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.lora.LoraPatcher;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.WeightPatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A loaded checkpoint seen through the LoRAs one branch of the graph applied to it: the shared
 * model is never changed between runs. {@link #use} applies the LoRAs to the weights, runs the
 * work and restores the exact original arrays (from the patcher's saved originals, never by
 * subtraction), holding the model's monitor the whole time so no other run sees the patched
 * weights. Immutable; {@link #withLora} returns a new view.
 */
public final class PatchedCheckpoint {
    private final ModelCache cache;
    private final CheckpointFile file;
    private final List<LoraApplication> loras;

    public PatchedCheckpoint(ModelCache cache, CheckpointFile file, List<LoraApplication> loras) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.file = Objects.requireNonNull(file, "file");
        this.loras = List.copyOf(loras);
    }

    /** The plain checkpoint. */
    public static PatchedCheckpoint of(ModelCache cache, CheckpointFile file) {
        return new PatchedCheckpoint(cache, file, List.of());
    }

    public CheckpointFile file() {
        return file;
    }

    /** The LoRAs applied while this view runs, in order. */
    public List<LoraApplication> loras() {
        return loras;
    }

    /** This view plus one more LoRA. */
    public PatchedCheckpoint withLora(LoraApplication lora) {
        List<LoraApplication> more = new ArrayList<>(loras);
        more.add(lora);
        return new PatchedCheckpoint(cache, file, more);
    }

    /**
     * Checks that a LoRA fits this checkpoint (loading it if needed), without changing a weight.
     *
     * @throws dev.bakehouse.lora.LoraMismatchException listing every tensor that does not fit
     */
    public void checkFits(LoraApplication lora) {
        LoraPatcher.checkFits(cache.checkpoint(file), lora);
    }

    /**
     * Runs {@code work} on the model with this view's LoRAs applied, then restores the weights.
     * {@code work} must not keep native arrays beyond its return.
     */
    public <T> T use(Function<StableDiffusion, T> work) {
        while (true) {
            StableDiffusion model = cache.checkpoint(file);
            // The cache closes an evicted model under this same monitor, so a model found open
            // here stays open until the work is done; a closed one was evicted meanwhile: look again.
            synchronized (model) {
                if (!model.manager().isOpen()) {
                    continue;
                }
                try (WeightPatcher patched = LoraPatcher.apply(model, loras)) {
                    return work.apply(model);
                }
            }
        }
    }

    @Override
    public String toString() {
        return file + (loras.isEmpty() ? "" : " + " + loras.stream().map(LoraApplication::name).toList());
    }
}
