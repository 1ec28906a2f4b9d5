package dev.bakehouse.node.sd;

import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.FakeContext;
import dev.bakehouse.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A data dir holding the tiny fixture checkpoint (with its sidecar config) and LoRA, a model
 * cache and the node set, for calling the model nodes directly.
 */
final class TinyModel implements AutoCloseable {
    static final String CHECKPOINT = "tiny.safetensors";
    static final String LORA = "lora.safetensors";

    final DataDirs dirs;
    final ModelCache cache = new ModelCache(ComputeDevice.CPU, 2);
    final Tokenizers tokenizers;

    TinyModel(Path root) {
        try {
            this.dirs = DataDirs.of(root);
            Path checkpoints = dirs.models(DataDirs.CHECKPOINTS);
            Files.copy(Fixtures.file("sd15-tiny/tiny.safetensors"), checkpoints.resolve(CHECKPOINT));
            Files.copy(Fixtures.file("sd15-tiny/config.json"), checkpoints.resolve("tiny.config.json"));
            Files.copy(Fixtures.file("sd15-tiny/lora.safetensors"), dirs.models(DataDirs.LORAS).resolve(LORA));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ModelSettings settings = new ModelSettings(ComputeDevice.CPU, Fixtures.file("clip-tokenizer"), Map.of(),
                root.resolve("home"), 2);
        this.tokenizers = new Tokenizers(dirs, settings, cache);
    }

    /** MODEL, CLIP and VAE of the tiny checkpoint. */
    NodeResult load() throws Exception {
        return new LoadCheckpoint(LoadCheckpoint.NAME, dirs, cache, tokenizers)
                .execute(inputs("LoadCheckpoint", Map.of("ckpt_name", CHECKPOINT)), context());
    }

    ModelValue model() throws Exception {
        return (ModelValue) load().outputs().get(0);
    }

    ClipValue clip() throws Exception {
        return (ClipValue) load().outputs().get(1);
    }

    VaeValue vae() throws Exception {
        return (VaeValue) load().outputs().get(2);
    }

    Conditioning encode(ClipValue clip, String text) {
        return (Conditioning) new ClipTextEncode()
                .execute(inputs("CLIPTextEncode", Map.of("text", text, "clip", clip)), context()).outputs().get(0);
    }

    FakeContext context() {
        return new FakeContext(dirs);
    }

    static NodeInputs inputs(String owner, Map<String, ?> values) {
        return new NodeInputs(owner, values);
    }

    @Override
    public void close() {
        cache.close();
    }
}
