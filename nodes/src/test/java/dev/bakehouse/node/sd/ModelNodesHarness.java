package dev.bakehouse.node.sd;

import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.FakeContext;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.TinyDataDir;
import java.nio.file.Path;
import java.util.Map;

/**
 * The tiny fixture's data dir ({@link TinyDataDir}), a model cache and tokenizer lookup, for
 * calling the model nodes directly. The tokenizer comes from the fixture folder as configured
 * (settings' tokenizer dir), with an empty environment. Public for the node packages that drive
 * the model nodes (grids, block analysis).
 */
public final class ModelNodesHarness implements AutoCloseable {
    public static final String CHECKPOINT = TinyDataDir.CHECKPOINT;
    public static final String LORA = TinyDataDir.LORA;

    public final DataDirs dirs;
    public final ModelCache cache = new ModelCache(ComputeDevice.CPU, 2);
    final Tokenizers tokenizers;
    final Embeddings embeddings;

    public ModelNodesHarness(Path root) {
        this.dirs = DataDirs.of(TinyDataDir.populate(root));
        ModelSettings settings = new ModelSettings(ComputeDevice.CPU, Fixtures.file("clip-tokenizer"), Map.of(),
                root.resolve("home"), 2);
        this.tokenizers = new Tokenizers(dirs, settings, cache);
        this.embeddings = new Embeddings(dirs, cache);
    }

    /** MODEL, CLIP and VAE of the tiny checkpoint. */
    public NodeResult load() throws Exception {
        return load(CHECKPOINT);
    }

    /** MODEL, CLIP and VAE of a checkpoint in the data dir (one a node saved there, say). */
    public NodeResult load(String ckptName) throws Exception {
        return new LoadCheckpoint(LoadCheckpoint.NAME, dirs, cache, tokenizers, embeddings)
                .execute(inputs("LoadCheckpoint", Map.of("ckpt_name", ckptName)), context());
    }

    public ModelValue model() throws Exception {
        return (ModelValue) load().outputs().get(0);
    }

    public ClipValue clip() throws Exception {
        return (ClipValue) load().outputs().get(1);
    }

    public VaeValue vae() throws Exception {
        return (VaeValue) load().outputs().get(2);
    }

    public Conditioning encode(ClipValue clip, String text) {
        return (Conditioning) new ClipTextEncode()
                .execute(inputs("CLIPTextEncode", Map.of("text", text, "clip", clip)), context()).outputs().get(0);
    }

    public FakeContext context() {
        return new FakeContext(dirs);
    }

    public static NodeInputs inputs(String owner, Map<String, ?> values) {
        return new NodeInputs(owner, values);
    }

    @Override
    public void close() {
        cache.close();
    }
}
