package dev.bakehouse.node.lora;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.node.sd.FileVersion;
import dev.bakehouse.node.sd.ModelCache;
import java.nio.file.Path;

/**
 * {@code LoadLoRA}: a LoRA file from {@code models/loras} as a LORA value, for nodes that test
 * LoRAs as such (ApplyLoRA, SampleGrid over epochs). Reading goes through the model cache, so a
 * file used by several nodes is parsed once; the file's version is the fingerprint.
 */
public final class LoadLora implements Node {
    public static final String NAME = "LoadLoRA";

    private final DataDirs dirs;
    private final ModelCache cache;
    private final NodeSpec spec;

    public LoadLora(DataDirs dirs, ModelCache cache) {
        this.dirs = dirs;
        this.cache = cache;
        this.spec = NodeSpec.builder(NAME)
                .displayName("Load LoRA File")
                .category("bakehouse/lora")
                .description("Reads a LoRA file (kohya, LyCORIS or diffusers keys) as a LORA value, without "
                        + "applying it; ApplyLoRA applies it to a model.")
                .required(ComboInput.dynamic("lora_name", () -> dirs.listModels(DataDirs.LORAS))
                        .withTooltip("The LoRA file, from the loras folders."))
                .output(OutputSpec.of(DataType.LORA).withTooltip("The LoRA and its metadata."))
                .build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        String name = inputs.getString("lora_name");
        Path file = dirs.resolveModel(DataDirs.LORAS, name);
        return NodeResult.of(new LoraValue(name, file, cache.lora(FileVersion.of(file))));
    }

    @Override
    public Object fingerprint(NodeInputs literalInputs) {
        return FileVersion.of(dirs.resolveModel(DataDirs.LORAS, literalInputs.getString("lora_name")));
    }
}
