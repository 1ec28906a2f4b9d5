package dev.bakehouse.node.sd;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import java.nio.file.Path;

/**
 * Loads a checkpoint from {@code models/checkpoints} (ComfyUI's {@code CheckpointLoaderSimple}):
 * MODEL, CLIP and VAE views of one loaded model, which the {@link ModelCache} keeps between
 * prompts. A checkpoint is a single file or a diffusers folder (one holding
 * {@code model_index.json}, listed by the folder's name). Registered under our name and under
 * ComfyUI's, with the same spec but for the display name, so ComfyUI API clients' prompts run
 * unchanged. The file's version (mtime, size) is the cache fingerprint, so replacing the file
 * re-runs the node.
 */
public final class LoadCheckpoint implements Node {
    public static final String NAME = "LoadCheckpoint";
    public static final String COMFY_NAME = "CheckpointLoaderSimple";
    /**
     * Editors list nodes by display name: two "Load Checkpoint" entries looked like a duplicate.
     * ComfyUI's class keeps ComfyUI's title; our alias says that it is one.
     */
    static final String ALIAS_DISPLAY_NAME = "Load Checkpoint (Bakehouse alias)";

    private final DataDirs dirs;
    private final ModelCache cache;
    private final Tokenizers tokenizers;
    private final Embeddings embeddings;
    private final NodeSpec spec;

    LoadCheckpoint(String classType, DataDirs dirs, ModelCache cache, Tokenizers tokenizers, Embeddings embeddings) {
        this.dirs = dirs;
        this.cache = cache;
        this.tokenizers = tokenizers;
        this.embeddings = embeddings;
        this.spec = NodeSpec.builder(classType)
                .displayName(classType.equals(COMFY_NAME) ? "Load Checkpoint" : ALIAS_DISPLAY_NAME)
                .category("loaders")
                .description("Loads a diffusion model checkpoint; diffusion models are used to denoise latents.")
                .required(ComboInput.dynamic("ckpt_name", () -> dirs.checkpointChoices())
                        .withTooltip("The name of the checkpoint (model) to load."))
                .output(OutputSpec.of(DataType.MODEL).withTooltip("The model used for denoising latents."))
                .output(OutputSpec.of(DataType.CLIP).withTooltip("The CLIP model used for encoding text prompts."))
                .output(OutputSpec.of(DataType.VAE)
                        .withTooltip("The VAE model used for encoding and decoding images to and from latent space."))
                .build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        Path file = dirs.resolveCheckpoint(inputs.getString("ckpt_name"));
        CheckpointFile checkpoint = CheckpointFile.of(file);
        cache.checkpoint(checkpoint); // load now, so a bad file fails here and not in a later node
        PatchedCheckpoint plain = PatchedCheckpoint.of(cache, checkpoint);
        return NodeResult.of(new ModelValue(plain), new ClipValue(plain, tokenizers.forCheckpoint(file), embeddings, -1),
                new VaeValue(plain));
    }

    @Override
    public Object fingerprint(NodeInputs literalInputs) {
        return CheckpointFile.of(dirs.resolveCheckpoint(literalInputs.getString("ckpt_name")));
    }
}
