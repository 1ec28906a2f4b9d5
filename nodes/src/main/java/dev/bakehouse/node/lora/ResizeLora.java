package dev.bakehouse.node.lora;

import dev.bakehouse.lora.format.LoraWriter;
import dev.bakehouse.lora.ops.LoraResize;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFileException;
import java.util.List;
import java.util.Locale;

/**
 * {@code ResizeLoRA}: a LoRA at a lower rank, as kohya's {@code resize_lora.py} ({@code new_rank},
 * {@code new_conv_rank}, {@code dynamic_method} sv_ratio / sv_fro / sv_cumulative with
 * {@code dynamic_param}), reporting the kept Frobenius fraction. Saved under {@code models/loras}
 * with the input's metadata, as kohya does (only the rank fields change).
 */
public final class ResizeLora implements Node {
    public static final String NAME = "ResizeLoRA";

    private final DataDirs dirs;
    private final NodeSpec spec;

    public ResizeLora(DataDirs dirs) {
        this.dirs = dirs;
        this.spec = NodeSpec.builder(NAME)
                .displayName("Resize LoRA")
                .category("bakehouse/lora")
                .description("Cuts a LoRA to a lower rank (kohya resize_lora.py) and saves it under models/loras.")
                .required(SocketInput.of("lora", DataType.LORA),
                        IntInput.of("new_rank", 4, 1, 1024).withTooltip(
                                "Rank of the result; with a dynamic method, the most it may keep (kohya --new_rank)."),
                        IntInput.of("new_conv_rank", 0, 0, 1024).withTooltip("Rank of 3x3 conv modules; 0 = new_rank."),
                        ComboInput.of("dynamic_method", List.of("none", "sv_ratio", "sv_fro", "sv_cumulative")).withTooltip(
                                "Choose each module's rank from its singular values (kohya --dynamic_method)."),
                        FloatInput.of("dynamic_param", 0.9, 0.0, 1000.0).withStep(0.01).withTooltip(
                                "sv_ratio: largest/smallest kept singular value; sv_fro, sv_cumulative: the fraction to keep."),
                        SurgeryOutputs.precisionInput(null),
                        SurgeryOutputs.prefixInput("resized/lora", DataDirs.LORAS))
                .output(OutputSpec.of(DataType.LORA).withTooltip("The resized LoRA, saved under models/loras."))
                .output(OutputSpec.of(DataType.STRING, "report").withTooltip("Mean kept Frobenius norm and its spread."))
                .outputNode()
                .build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) throws TensorFileException {
        LoraValue lora = inputs.get("lora", LoraValue.class);
        String method = inputs.getString("dynamic_method");
        int convRank = inputs.getInt("new_conv_rank");
        DType save = SurgeryOutputs.dtype(inputs.getString(SurgeryOutputs.SAVE_PRECISION));
        LoraResize.Options options = new LoraResize.Options(inputs.getInt("new_rank"), convRank == 0 ? null : convRank,
                method.equals("none") ? null : LoraResize.DynamicMethod.parse(method),
                method.equals("none") ? null : inputs.getDouble("dynamic_param"), save);
        LoraResize.Result r = LoraResize.resize(lora.network(), options, ctx::progress);
        SurgeryOutputs.ModelFile file = SurgeryOutputs.next(dirs, DataDirs.LORAS, inputs.getString(SurgeryOutputs.PREFIX));
        // kohya keeps the input's metadata and rewrites only the ss_* rank fields: no new modelspec
        LoraWriter.write(r.network(), file.path(), save, true);
        String report = String.format(Locale.ROOT, "%s -> %s: %d modules resized%s; %s", lora.name(), file.name(),
                r.modules().size(), r.unchanged().isEmpty() ? "" : ", " + r.unchanged().size() + " kept as they are",
                r.summary());
        return NodeResult.of(new LoraValue(file.name(), file.path(), r.network()), report)
                .withUi(SurgeryOutputs.text(file.name(), report));
    }
}
