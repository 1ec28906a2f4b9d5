package dev.bakehouse.server.cli;

import ai.djl.ndarray.NDManager;
import dev.bakehouse.lora.ops.LoraExtraction;
import dev.bakehouse.lora.ops.RandomizedSvd;
import dev.bakehouse.lora.ops.SvdMethod;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFiles;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.sd.CheckpointView;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bakehouse extract_lora_from_models}: sd-scripts' {@code networks/extract_lora_from_models.py}
 * with its flags and defaults; the SVD is randomized unless {@code --svd exact}. Prints each
 * module's kept energy. Exit codes: 0 saved, 1 failed, 2 rejected arguments.
 */
@Command(name = "extract_lora_from_models", mixinStandardHelpOptions = true,
        description = "Extract a LoRA from the difference of two checkpoints (kohya extract_lora_from_models.py flags).")
final class ExtractLoraCommand implements Callable<Integer> {
    @Option(names = "--v2", description = "Accepted for kohya compatibility; the architecture is read from the file.")
    boolean v2;
    @Option(names = "--v_parameterization", description = "Accepted for kohya compatibility.")
    boolean vParameterization;
    @Option(names = "--sdxl", description = "Accepted for kohya compatibility; the architecture is read from the file.")
    boolean sdxl;
    @Option(names = "--load_precision", description = "Accepted; weights are always widened to float for the SVD.")
    String loadPrecision;
    @Option(names = "--save_precision", description = "float, fp16 or bf16 (default float).")
    String savePrecision;
    @Option(names = "--model_org", required = true, description = "Original model (.safetensors or .ckpt).")
    String modelOrg;
    @Option(names = "--model_tuned", required = true, description = "Tuned model; the LoRA is tuned - original.")
    String modelTuned;
    @Option(names = "--save_to", required = true, description = "Output LoRA (.safetensors).")
    String saveTo;
    @Option(names = "--dim", defaultValue = "4", description = "Rank (default ${DEFAULT-VALUE}).")
    int dim;
    @Option(names = "--conv_dim", description = "Rank of Conv2d 3x3 modules (default none: no resnet modules).")
    Integer convDim;
    @Option(names = "--device", description = "Accepted for kohya compatibility; matmuls run on DJL's default device.")
    String device;
    @Option(names = "--clamp_quantile", defaultValue = "0.99", description = "Quantile clamp of the factors (default ${DEFAULT-VALUE}).")
    double clampQuantile;
    @Option(names = "--min_diff", defaultValue = "0.01", description = "Text encoder is extracted only if it differs by more (default ${DEFAULT-VALUE}).")
    double minDiff;
    @Option(names = "--no_metadata", description = "Save only the minimum ss_* metadata, no modelspec.")
    boolean noMetadata;
    @Option(names = "--load_original_model_to", description = "Accepted for kohya compatibility (SDXL only there).")
    String loadOriginalTo;
    @Option(names = "--load_tuned_model_to", description = "Accepted for kohya compatibility (SDXL only there).")
    String loadTunedTo;
    @Option(names = "--svd", defaultValue = "randomized", description = "randomized (default) or exact (full SVD, slow).")
    String svd;
    @Option(names = "--oversample", defaultValue = "10", description = "Randomized SVD oversampling (default ${DEFAULT-VALUE}).")
    int oversample;
    @Option(names = "--power_iterations", defaultValue = "3", description = "Randomized SVD power iterations (default ${DEFAULT-VALUE}).")
    int powerIterations;
    @Option(names = "--verbose", description = "Print every module's rank and kept energy.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoraExtraction.Options options;
        Path org;
        Path tuned;
        Path target;
        try {
            org = SurgerySupport.existing("--model_org", modelOrg);
            tuned = SurgerySupport.existing("--model_tuned", modelTuned);
            target = SurgerySupport.safetensorsTarget("--save_to", saveTo);
            DType save = SurgerySupport.dtype("--save_precision", savePrecision);
            options = new LoraExtraction.Options(dim, convDim, clampQuantile, minDiff, SvdMethod.parse(svd),
                    new RandomizedSvd.Settings(oversample, powerIterations, RandomizedSvd.Settings.DEFAULT.seed()),
                    save == null ? DType.F32 : save);
        } catch (IllegalArgumentException e) {
            return SurgerySupport.usageError(err, "extract_lora_from_models", e.getMessage());
        }
        DeviceSetup.apply("cpu");
        long start = System.nanoTime();
        LoraExtraction.Result r;
        try (TensorSource o = TensorFiles.open(org); TensorSource t = TensorFiles.open(tuned);
             NDManager manager = NDManager.newBaseManager()) {
            r = LoraExtraction.extract(CheckpointView.of(o, CheckpointView.Weights.NON_EMA),
                    CheckpointView.of(t, CheckpointView.Weights.NON_EMA), options, manager, SurgerySupport.bar(err, "svd"));
        }
        if (r.textEncoderIncluded()) {
            err.printf(Locale.ROOT, "Text encoder is different. %.6g > %s%n", r.textEncoderMaxDiff(), minDiff);
        } else {
            err.printf(Locale.ROOT, "Text encoder is same (max |diff| %.6g <= %s). Extract U-Net only.%n", r.textEncoderMaxDiff(), minDiff);
        }
        double mean = 0;
        for (LoraExtraction.ModuleReport m : r.modules()) {
            mean += m.keptEnergy() / r.modules().size();
            if (verbose) {
                out.printf(Locale.ROOT, "%-75s | rank %d, kept energy %.2f%%%n", m.name(), m.rank(), 100 * m.keptEnergy());
            }
        }
        SurgerySupport.writeLora(r.network(), target, options.saveDtype(), r.family(), noMetadata);
        out.printf(Locale.ROOT, "%d modules, mean kept energy %.2f%%, %s SVD, %.1f s%n", r.modules().size(), 100 * mean,
                options.method().name().toLowerCase(Locale.ROOT), (System.nanoTime() - start) / 1e9);
        out.println("LoRA weights are saved to: " + target);
        out.flush();
        return 0;
    }
}
