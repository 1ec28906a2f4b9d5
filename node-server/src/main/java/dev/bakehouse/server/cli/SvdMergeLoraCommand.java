package dev.bakehouse.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.ops.LoraBlockWeights;
import dev.bakehouse.lora.ops.LoraMerge;
import dev.bakehouse.lora.ops.SurgeryMetadata;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.sd.DetectedArchitecture.Family;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bakehouse svd_merge_lora}: sd-scripts' {@code networks/svd_merge_lora.py}: ΔW of every
 * LoRA summed with its ratio (and {@code --lbws} block weights, kohya's JSON lists), factorised
 * back to {@code --new_rank}/{@code --new_conv_rank}. The SVD is exact and runs on the factors, not
 * on dense ΔW. Exit codes: 0 saved, 1 failed, 2 rejected arguments.
 */
@Command(name = "svd_merge_lora", mixinStandardHelpOptions = true,
        description = "Merge LoRAs by ΔW and SVD to a new rank (kohya svd_merge_lora.py flags).")
final class SvdMergeLoraCommand implements Callable<Integer> {
    @Option(names = "--save_precision", description = "float, fp16 or bf16 (default: --precision).")
    String savePrecision;
    @Option(names = "--precision", defaultValue = "float", description = "float, fp16 or bf16; sums are computed in float.")
    String precision;
    @Option(names = "--save_to", required = true, description = "Output LoRA (.safetensors).")
    String saveTo;
    @Option(names = "--models", arity = "1..*", required = true, description = "LoRA files.")
    List<String> models = new ArrayList<>();
    @Option(names = "--ratios", arity = "1..*", required = true, description = "One ratio per LoRA.")
    List<Float> ratios = new ArrayList<>();
    @Option(names = "--lbws", arity = "0..*", description = "Per-LoRA block weights as JSON lists of 17 or 26 values, e.g. \"[1,0,...]\".")
    List<String> lbws = new ArrayList<>();
    @Option(names = "--new_rank", defaultValue = "4", description = "Rank of the output (default ${DEFAULT-VALUE}).")
    int newRank;
    @Option(names = "--new_conv_rank", description = "Rank of Conv2d 3x3 modules (default: --new_rank).")
    Integer newConvRank;
    @Option(names = "--device", description = "Accepted for kohya compatibility.")
    String device;
    @Option(names = "--no_metadata", description = "Do not write modelspec metadata.")
    boolean noMetadata;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<LoraMerge.Input> inputs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Path target;
        DType save;
        LoraMerge.Options options;
        try {
            if (models.size() != ratios.size()) {
                throw new IllegalArgumentException("--models has " + models.size() + " files but --ratios " + ratios.size() + " values");
            }
            if (!lbws.isEmpty() && lbws.size() != models.size()) {
                throw new IllegalArgumentException("--lbws has " + lbws.size() + " vectors for " + models.size() + " models");
            }
            target = SurgerySupport.safetensorsTarget("--save_to", saveTo);
            DType merge = SurgerySupport.dtype("--precision", precision);
            save = savePrecision == null ? merge : SurgerySupport.dtype("--save_precision", savePrecision);
            options = new LoraMerge.Options(LoraMerge.Mode.SVD, newRank, newConvRank == null ? newRank : newConvRank, 0.99, save);
            for (int i = 0; i < models.size(); i++) {
                Path p = SurgerySupport.existing("--models", models.get(i));
                files.add(p);
                LoraBlockWeights lbw = lbws.isEmpty() ? null : kohyaLbw(lbws.get(i));
                inputs.add(new LoraMerge.Input(p.getFileName().toString(), LoraReader.read(p), ratios.get(i), lbw));
            }
        } catch (IllegalArgumentException e) {
            return SurgerySupport.usageError(err, "svd_merge_lora", e.getMessage());
        }
        LoraMerge.Result r = LoraMerge.merge(inputs, options, SurgerySupport.bar(err, "svd"));
        save(r, files, target, save, noMetadata, out);
        return 0;
    }

    /**
     * svd_merge_lora.py's {@code --lbws}: a JSON list of 17 values sets BASE, IN01, IN02, IN04,
     * IN05, IN07, IN08, MID, OUT03..OUT11 and leaves the other blocks at 1 (unlike the LoRA Block
     * Weight extension, whose 17-value vectors switch those blocks off); 26 values set every block.
     * The SDXL lengths 12 and 20 are refused.
     */
    static LoraBlockWeights kohyaLbw(String json) {
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("--lbws '" + json + "' is not JSON (expected a list such as [1,0,1,...])");
        }
        if (node == null || !node.isArray() || (node.size() != 17 && node.size() != 26)) {
            throw new IllegalArgumentException("--lbws '" + json + "': expected a JSON list of 17 or 26 numbers (SD1/SD2)");
        }
        float[] v26 = new float[26];
        java.util.Arrays.fill(v26, 1f);
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isNumber()) {
                throw new IllegalArgumentException("--lbws '" + json + "': value " + (i + 1) + " is not a number");
            }
            String block = node.size() == 26 ? LoraBlockWeights.BLOCKS26.get(i) : LoraBlockWeights.BLOCKS17.get(i);
            v26[LoraBlockWeights.BLOCKS26.indexOf(block)] = (float) node.get(i).asDouble();
        }
        return LoraBlockWeights.of(v26);
    }

    /** Writes a merged LoRA with kohya's merged_from (the inputs' titles) and prints the per-module report. */
    static void save(LoraMerge.Result r, List<Path> inputs, Path target, DType save, boolean noMetadata, PrintWriter out)
            throws TensorFileException {
        Map<String, String> metadata = new LinkedHashMap<>(r.network().metadata());
        if (!noMetadata) {
            List<String> titles = new ArrayList<>();
            inputs.forEach(p -> titles.add(SurgerySupport.title(p)));
            metadata.put("modelspec.merged_from", String.join(", ", titles));
        }
        LoraNetwork n = new LoraNetwork(r.network().modules(), metadata, List.of(), r.network().styles());
        Family family = SurgeryMetadata.familyOf(metadata);
        SurgerySupport.writeLora(n, target, save, family, noMetadata);
        double mean = r.modules().stream().mapToDouble(LoraMerge.ModuleReport::keptEnergy).average().orElse(1);
        out.printf(Locale.ROOT, "%d modules, mean kept energy %.2f%%%n", r.modules().size(), 100 * mean);
        out.println("saving model to: " + target);
        out.flush();
    }
}
