package dev.bakehouse.server.cli;

import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.ops.CheckpointMerge;
import dev.bakehouse.lora.ops.LoraMerge;
import dev.bakehouse.lora.ops.MergeProvenance;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFiles;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.sd.ArchitectureDetector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bakehouse merge_lora}: sd-scripts' {@code networks/merge_lora.py}. With {@code --sd_model}
 * the LoRAs are baked into the checkpoint, streamed tensor by tensor, in the checkpoint's own keys
 * and dtypes (unless {@code --save_precision}), recording each source's SHA-256 and ratio. Without
 * it the LoRAs are merged by ΔW and an SVD back to each module's largest input rank (kohya's
 * default factor sum applies the ratio twice and adds cross terms, so it is not offered);
 * {@code --concat} keeps the exact factors side by side. Exit codes: 0 saved, 1 failed, 2 rejected.
 */
@Command(name = "merge_lora", mixinStandardHelpOptions = true,
        description = "Merge LoRAs into a checkpoint (--sd_model) or into one LoRA (kohya merge_lora.py flags).")
final class MergeLoraCommand implements Callable<Integer> {
    @Option(names = "--v2", description = "Accepted for kohya compatibility; the architecture is read from the file.")
    boolean v2;
    @Option(names = "--save_precision", description = "float, fp16 or bf16 (default: the checkpoint's own dtypes; float for LoRAs).")
    String savePrecision;
    @Option(names = "--precision", defaultValue = "float", description = "Accepted (float, fp16, bf16); the sums are computed in float.")
    String precision;
    @Option(names = "--sd_model", description = "Checkpoint to merge into; omitted: merge the LoRAs into one LoRA.")
    String sdModel;
    @Option(names = "--save_to", required = true, description = "Output file (.safetensors).")
    String saveTo;
    @Option(names = "--models", arity = "1..*", required = true, description = "LoRA files.")
    List<String> models = new ArrayList<>();
    @Option(names = "--ratios", arity = "1..*", required = true, description = "One ratio per LoRA.")
    List<Float> ratios = new ArrayList<>();
    @Option(names = "--no_metadata", description = "Do not write modelspec metadata.")
    boolean noMetadata;
    @Option(names = "--concat", description = "LoRA + LoRA: keep the factors side by side (rank = sum of ranks), exact.")
    boolean concat;
    @Option(names = "--shuffle", description = "Accepted for kohya compatibility; permuting ranks does not change ΔW, so it is a no-op.")
    boolean shuffle;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path target;
        DType save;
        List<Path> loras = new ArrayList<>();
        try {
            if (models.size() != ratios.size()) {
                throw new IllegalArgumentException("--models has " + models.size() + " files but --ratios " + ratios.size() + " values");
            }
            target = SurgerySupport.safetensorsTarget("--save_to", saveTo);
            save = SurgerySupport.dtype("--save_precision", savePrecision);
            SurgerySupport.dtype("--precision", precision);
            for (String m : models) {
                loras.add(SurgerySupport.existing("--models", m));
            }
            if (sdModel != null) {
                SurgerySupport.existing("--sd_model", sdModel);
            }
        } catch (IllegalArgumentException e) {
            return SurgerySupport.usageError(err, "merge_lora", e.getMessage());
        }
        if (sdModel == null) {
            List<LoraMerge.Input> inputs = new ArrayList<>();
            for (int i = 0; i < loras.size(); i++) {
                inputs.add(new LoraMerge.Input(loras.get(i).getFileName().toString(), LoraReader.read(loras.get(i)), ratios.get(i), null));
            }
            if (!concat) {
                err.println("note: merging by ΔW and SVD back to each module's largest input rank (kohya's factor sum "
                        + "applies ratios twice and adds cross terms); --concat keeps the exact factors");
            }
            LoraMerge.Result r = LoraMerge.merge(inputs, new LoraMerge.Options(concat ? LoraMerge.Mode.CONCAT : LoraMerge.Mode.SVD,
                    null, null, 0.99, save == null ? DType.F32 : save), SurgerySupport.bar(err, "merge"));
            SvdMergeLoraCommand.save(r, loras, target, save == null ? DType.F32 : save, noMetadata, out);
            return 0;
        }
        Path ckpt = Path.of(sdModel);
        List<CheckpointMerge.Source> sources = new ArrayList<>();
        List<MergeProvenance.LoraFile> files = new ArrayList<>();
        for (int i = 0; i < loras.size(); i++) {
            Path p = loras.get(i);
            sources.add(new CheckpointMerge.Source(p.getFileName().toString(), LoraReader.read(p), ratios.get(i), null));
            files.add(new MergeProvenance.LoraFile(p, ratios.get(i), null));
        }
        long start = System.nanoTime();
        CheckpointMerge.Result r;
        try (TensorSource in = TensorFiles.open(ckpt)) {
            MergeProvenance.Pending metadata = MergeProvenance.start(ckpt, ArchitectureDetector.detect(in).family(), files,
                    target, !noMetadata, Instant.now(), ZoneId.systemDefault());
            r = CheckpointMerge.merge(in, sources, target, save, metadata.placeholders(), metadata.finalMetadata(),
                    SurgerySupport.bar(err, "merge"));
        }
        r.skipped().forEach(s -> err.println("no module found for LoRA weight: " + s));
        out.printf("%d modules merged in %.1f s%n", r.mergedModules(), (System.nanoTime() - start) / 1e9);
        out.println("saving SD model to: " + target);
        out.flush();
        return 0;
    }
}
