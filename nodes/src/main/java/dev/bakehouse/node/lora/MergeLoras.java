package dev.bakehouse.node.lora;

import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.ops.LoraMerge;
import dev.bakehouse.lora.ops.SurgeryMetadata;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.sd.DetectedArchitecture.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code MergeLoRAs}: several LoRAs into one, by default as kohya's {@code svd_merge_lora.py}
 * (the weighted ΔW sum factorised back to {@code new_rank}); {@code concat} keeps the exact
 * factors side by side at the summed rank. kohya's plain factor sum is not offered: it applies
 * each ratio twice and adds cross terms ({@link LoraMerge}). Saved under {@code models/loras}.
 */
public final class MergeLoras implements Node {
    public static final String NAME = "MergeLoRAs";

    private final DataDirs dirs;
    private final NodeSpec spec;

    public MergeLoras(DataDirs dirs) {
        this.dirs = dirs;
        this.spec = NodeSpec.builder(NAME)
                .displayName("Merge LoRAs")
                .category("bakehouse/lora")
                .description("Merges up to " + LoraSlots.COUNT + " LoRAs into one by their weight differences "
                        + "(kohya svd_merge_lora.py) and saves it under models/loras.")
                .required(LoraSlots.first())
                .required(ComboInput.of("mode", List.of("svd", "concat")).withTooltip(
                                "svd: ΔW sum re-factorised to new_rank (kohya svd_merge_lora.py); concat: exact, rank = sum of ranks."),
                        IntInput.of("new_rank", 0, 0, 1024).withTooltip("Rank of the result (svd); 0 = each module's largest input rank."),
                        IntInput.of("new_conv_rank", 0, 0, 1024).withTooltip("Rank of 3x3 conv modules (svd); 0 = new_rank."),
                        SurgeryOutputs.precisionInput(null),
                        SurgeryOutputs.prefixInput("merged/lora", DataDirs.LORAS))
                .optional(LoraSlots.others())
                .output(OutputSpec.of(DataType.LORA).withTooltip("The merged LoRA, saved under models/loras."))
                .output(OutputSpec.of(DataType.STRING, "report").withTooltip("Modules and kept energy."))
                .outputNode()
                .build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) throws TensorFileException {
        List<LoraSlots.Slot> slots = LoraSlots.read(NAME, inputs);
        List<LoraMerge.Input> merged = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (LoraSlots.Slot s : slots) {
            merged.add(new LoraMerge.Input(s.lora().name(), s.lora().network(), s.ratio(), s.blockWeights()));
            titles.add(SurgeryMetadata.title(s.lora().file()));
        }
        LoraMerge.Mode mode = LoraMerge.Mode.valueOf(inputs.getString("mode").toUpperCase(Locale.ROOT));
        int rank = inputs.getInt("new_rank");
        int convRank = inputs.getInt("new_conv_rank");
        DType save = SurgeryOutputs.dtype(inputs.getString(SurgeryOutputs.SAVE_PRECISION));
        LoraMerge.Result r = LoraMerge.merge(merged, new LoraMerge.Options(mode, rank == 0 ? null : rank,
                convRank == 0 ? null : convRank, 0.99, save), ctx::progress);
        Map<String, String> metadata = new LinkedHashMap<>(r.network().metadata());
        metadata.put("modelspec.merged_from", String.join(", ", titles));
        Family family = SurgeryMetadata.familyOf(metadata);
        SurgeryOutputs.ModelFile file = SurgeryOutputs.next(dirs, DataDirs.LORAS, inputs.getString(SurgeryOutputs.PREFIX));
        LoraNetwork written = SurgeryOutputs.writeLora(
                new LoraNetwork(r.network().modules(), metadata, List.of(), r.network().styles()), file, save, family, ctx.clock());
        double mean = r.modules().stream().mapToDouble(LoraMerge.ModuleReport::keptEnergy).average().orElse(1);
        String report = String.format(Locale.ROOT, "%d LoRA(s), %d modules, %s, mean kept energy %.2f%%",
                slots.size(), r.modules().size(), mode.name().toLowerCase(Locale.ROOT), 100 * mean);
        return NodeResult.of(new LoraValue(file.name(), file.path(), written), report)
                .withUi(SurgeryOutputs.text(file.name(), report));
    }
}
