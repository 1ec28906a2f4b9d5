package dev.bakehouse.node.lora;

import dev.bakehouse.io.AtomicFiles;
import dev.bakehouse.lora.ops.CheckpointMerge;
import dev.bakehouse.lora.ops.MergeProvenance;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.node.sd.CheckpointFile;
import dev.bakehouse.tensor.TensorFiles;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.sd.ArchitectureDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code MergeLoRA}: LoRAs baked into a checkpoint, as kohya's {@code merge_lora.py --sd_model},
 * each with its ratio and optional LoRA Block Weight vector. The checkpoint streams tensor by
 * tensor into a temp file under {@code models/checkpoints} that is moved into place when
 * complete, in the checkpoint's own keys and dtypes (unless {@code save_precision} says
 * otherwise), recording its sources ({@link MergeProvenance}); the base's sidecar config, if any,
 * is copied beside it. Returns the new checkpoint's name,
 * as LoadCheckpoint lists it.
 */
public final class MergeLora implements Node {
    public static final String NAME = "MergeLoRA";

    private final DataDirs dirs;
    private final NodeSpec spec;

    public MergeLora(DataDirs dirs) {
        this.dirs = dirs;
        this.spec = NodeSpec.builder(NAME)
                .displayName("Merge LoRA into Checkpoint")
                .category("bakehouse/lora")
                .description("Bakes up to " + LoraSlots.COUNT + " LoRAs into a checkpoint (kohya merge_lora.py --sd_model) "
                        + "and saves it under models/checkpoints.")
                .required(ComboInput.dynamic("ckpt_name", () -> dirs.checkpointChoices())
                        .withTooltip("The checkpoint to merge into; it is not changed."))
                .required(LoraSlots.first())
                .required(SurgeryOutputs.precisionInput("keep"), SurgeryOutputs.prefixInput("merged/merged", DataDirs.CHECKPOINTS))
                .optional(LoraSlots.others())
                .output(OutputSpec.of(DataType.STRING, "ckpt_name").withTooltip("The merged checkpoint's name in models/checkpoints."))
                .output(OutputSpec.of(DataType.STRING, "report").withTooltip("Modules merged and skipped."))
                .outputNode()
                .build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) throws IOException {
        String ckptName = inputs.getString("ckpt_name");
        Path ckpt = dirs.resolveCheckpoint(ckptName);
        List<LoraSlots.Slot> slots = LoraSlots.read(NAME, inputs);
        List<CheckpointMerge.Source> sources = new ArrayList<>();
        List<MergeProvenance.LoraFile> files = new ArrayList<>();
        for (LoraSlots.Slot s : slots) {
            sources.add(new CheckpointMerge.Source(s.lora().name(), s.lora().network(), s.ratio(), s.blockWeights()));
            files.add(new MergeProvenance.LoraFile(s.lora().file(), s.ratio(), s.blockWeights()));
        }
        SurgeryOutputs.ModelFile out = SurgeryOutputs.next(dirs, DataDirs.CHECKPOINTS, inputs.getString(SurgeryOutputs.PREFIX));
        CheckpointMerge.Result r;
        try (TensorSource in = TensorFiles.open(ckpt)) {
            MergeProvenance.Pending metadata = MergeProvenance.start(ckpt, ArchitectureDetector.detect(in).family(), files,
                    out.path(), true, ctx.clock().instant(), ctx.clock().getZone());
            r = CheckpointMerge.merge(in, sources, out.path(), SurgeryOutputs.dtype(inputs.getString(SurgeryOutputs.SAVE_PRECISION)),
                    metadata.placeholders(), metadata.finalMetadata(), ctx::progress);
        }
        copySidecar(ckpt, out.path());
        String report = r.mergedModules() + " modules from " + slots.size() + " LoRA(s) merged into " + ckptName
                + (r.skipped().isEmpty() ? "" : "; skipped (no such layer): " + String.join(", ", r.skipped()));
        return NodeResult.of(out.name(), report).withUi(SurgeryOutputs.text(out.name(), report));
    }

    /**
     * The merged file has the base's architecture, so a sidecar config that sets it (a model whose
     * head count its shapes do not show) goes along, or the merged file would not load.
     */
    private static void copySidecar(Path base, Path merged) throws IOException {
        Path config = CheckpointFile.sidecarPath(base);
        if (Files.isRegularFile(config)) {
            AtomicFiles.write(CheckpointFile.sidecarPath(merged), Files.readAllBytes(config));
        }
    }
}
