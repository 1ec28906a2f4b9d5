package dev.bakehouse.node.lora;

import ai.djl.ndarray.NDManager;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.ops.LoraExtraction;
import dev.bakehouse.lora.ops.RandomizedSvd;
import dev.bakehouse.lora.ops.SvdMethod;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFiles;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.sd.CheckpointView;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code ExtractLoRA}: a LoRA from the difference of two checkpoints, as kohya's
 * {@code extract_lora_from_models.py} ({@code dim}, {@code conv_dim}, {@code clamp_quantile},
 * {@code min_diff}; the text encoder only when it differs), by randomized or exact SVD. The LoRA is
 * saved under {@code models/loras} and returned as a LORA with a report of the kept energy.
 */
public final class ExtractLora implements Node {
    public static final String NAME = "ExtractLoRA";

    private final DataDirs dirs;
    private final ComputeDevice device;
    private final NodeSpec spec;

    public ExtractLora(DataDirs dirs, ComputeDevice device) {
        this.dirs = dirs;
        this.device = device;
        this.spec = NodeSpec.builder(NAME)
                .displayName("Extract LoRA")
                .category("bakehouse/lora")
                .description("Extracts a LoRA from the difference of two checkpoints (kohya extract_lora_from_models.py) "
                        + "and saves it under models/loras.")
                .required(ComboInput.dynamic("model_org", () -> dirs.checkpointChoices())
                                .withTooltip("The original model (kohya --model_org)."),
                        ComboInput.dynamic("model_tuned", () -> dirs.checkpointChoices())
                                .withTooltip("The fine-tuned model; the LoRA is tuned - original (kohya --model_tuned)."),
                        IntInput.of("dim", 4, 1, 1024).withTooltip("Rank of linear and 1x1 modules (kohya --dim)."),
                        IntInput.of("conv_dim", 0, 0, 1024)
                                .withTooltip("Rank of 3x3 conv modules; 0 leaves the resnet modules out (kohya --conv_dim)."),
                        FloatInput.of("clamp_quantile", 0.99, 0.0, 1.0).withStep(0.001)
                                .withTooltip("Factors are clamped at this quantile of their magnitudes; 1 = no clamp."),
                        FloatInput.of("min_diff", 0.01, 0.0, 10.0).withStep(0.001)
                                .withTooltip("The text encoder is extracted only when a weight differs by more."),
                        ComboInput.of("svd_method", List.of("randomized", "exact"))
                                .withTooltip("randomized: many times faster on full-size layers; exact: full SVD, slow."),
                        SurgeryOutputs.precisionInput(null),
                        SurgeryOutputs.prefixInput("extracted/lora", DataDirs.LORAS))
                .output(OutputSpec.of(DataType.LORA).withTooltip("The extracted LoRA, saved under models/loras."))
                .output(OutputSpec.of(DataType.STRING, "report").withTooltip("Modules, rank and kept energy."))
                .outputNode()
                .build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) throws IOException {
        int convDim = inputs.getInt("conv_dim");
        double quantile = inputs.getDouble("clamp_quantile");
        DType save = SurgeryOutputs.dtype(inputs.getString(SurgeryOutputs.SAVE_PRECISION));
        LoraExtraction.Options options = new LoraExtraction.Options(inputs.getInt("dim"), convDim == 0 ? null : convDim,
                quantile >= 1.0 ? null : quantile, inputs.getDouble("min_diff"),
                SvdMethod.parse(inputs.getString("svd_method")), RandomizedSvd.Settings.DEFAULT, save);
        String orgName = inputs.getString("model_org");
        String tunedName = inputs.getString("model_tuned");
        SurgeryOutputs.ModelFile file = SurgeryOutputs.next(dirs, DataDirs.LORAS, inputs.getString(SurgeryOutputs.PREFIX));
        try (TensorSource org = TensorFiles.open(dirs.resolveCheckpoint(orgName));
             TensorSource tuned = TensorFiles.open(dirs.resolveCheckpoint(tunedName));
             NDManager manager = NDManager.newBaseManager(device.toDjl())) {
            LoraExtraction.Result r = LoraExtraction.extract(CheckpointView.of(org, CheckpointView.Weights.NON_EMA),
                    CheckpointView.of(tuned, CheckpointView.Weights.NON_EMA), options, manager, ctx::progress);
            LoraNetwork written = SurgeryOutputs.writeLora(r.network(), file, save, r.family(), ctx.clock());
            String report = report(r, orgName, tunedName, options);
            return NodeResult.of(new LoraValue(file.name(), file.path(), written), report)
                    .withUi(SurgeryOutputs.text(file.name(), report));
        }
    }

    private static String report(LoraExtraction.Result r, String org, String tuned, LoraExtraction.Options options) {
        double mean = r.modules().stream().mapToDouble(LoraExtraction.ModuleReport::keptEnergy).average().orElse(1);
        LoraExtraction.ModuleReport worst = r.modules().stream()
                .min(Comparator.comparingDouble(LoraExtraction.ModuleReport::keptEnergy)).orElse(null);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%s - %s: %d modules, dim %d%s, %s SVD, mean kept energy %.2f%%", tuned, org, r.modules().size(),
                options.dim(), options.convDim() == null ? "" : ", conv_dim " + options.convDim(),
                options.method().name().toLowerCase(Locale.ROOT), 100 * mean));
        if (worst != null) {
            s.append(String.format(Locale.ROOT, "; lowest %.2f%% (%s)", 100 * worst.keptEnergy(), worst.name()));
        }
        s.append(r.textEncoderIncluded()
                ? String.format(Locale.ROOT, "; text encoder included (max |diff| %.4g)", r.textEncoderMaxDiff())
                : String.format(Locale.ROOT, "; text encoder left out (max |diff| %.4g <= min_diff)", r.textEncoderMaxDiff()));
        return s.toString();
    }
}
