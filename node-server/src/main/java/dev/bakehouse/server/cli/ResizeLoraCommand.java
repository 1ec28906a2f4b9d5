package dev.bakehouse.server.cli;

import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.ops.LoraResize;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.sd.DetectedArchitecture.Family;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bakehouse resize_lora}: sd-scripts' {@code networks/resize_lora.py}, with its rank rules
 * and {@code --verbose} report (kept sum of singular values, kept Frobenius norm, max ratio per
 * module). Exit codes: 0 saved, 1 failed, 2 rejected arguments.
 */
@Command(name = "resize_lora", mixinStandardHelpOptions = true,
        description = "Resize a LoRA to a lower rank (kohya resize_lora.py flags).")
final class ResizeLoraCommand implements Callable<Integer> {
    @Option(names = "--save_precision", description = "float, fp16 or bf16 (default float).")
    String savePrecision;
    @Option(names = "--new_rank", defaultValue = "4", description = "Rank of the output, the maximum with --dynamic_method (default ${DEFAULT-VALUE}).")
    int newRank;
    @Option(names = "--new_conv_rank", description = "Rank of Conv2d 3x3 modules (default: --new_rank).")
    Integer newConvRank;
    @Option(names = "--save_to", required = true, description = "Output LoRA (.safetensors).")
    String saveTo;
    @Option(names = "--model", required = true, description = "LoRA to resize.")
    String model;
    @Option(names = "--device", description = "Accepted for kohya compatibility.")
    String device;
    @Option(names = "--verbose", description = "Print the kept fractions of every module.")
    boolean verbose;
    @Option(names = "--dynamic_method", description = "sv_ratio, sv_fro or sv_cumulative.")
    String dynamicMethod;
    @Option(names = "--dynamic_param", description = "Target of the dynamic method.")
    Double dynamicParam;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoraResize.Options options;
        Path in;
        Path target;
        try {
            in = SurgerySupport.existing("--model", model);
            target = SurgerySupport.safetensorsTarget("--save_to", saveTo);
            DType save = SurgerySupport.dtype("--save_precision", savePrecision);
            options = new LoraResize.Options(newRank, newConvRank,
                    dynamicMethod == null ? null : LoraResize.DynamicMethod.parse(dynamicMethod), dynamicParam,
                    save == null ? DType.F32 : save);
        } catch (IllegalArgumentException e) {
            return SurgerySupport.usageError(err, "resize_lora", e.getMessage());
        }
        LoraResize.Result r = LoraResize.resize(LoraReader.read(in), options, SurgerySupport.bar(err, "resize"));
        if (verbose) {
            r.modules().forEach(m -> out.println(m.kohyaLine()));
        }
        r.unchanged().forEach(name -> err.println("kept as is (not a plain lora_up/lora_down pair): " + name));
        out.println(r.summary());
        // resize keeps the input's metadata (kohya rewrites only the ss_* rank fields), so no new modelspec
        SurgerySupport.writeLora(r.network(), target, options.saveDtype(), Family.SD1, true);
        out.println("saving model to: " + target);
        out.flush();
        return 0;
    }
}
