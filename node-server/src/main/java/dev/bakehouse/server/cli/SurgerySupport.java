package dev.bakehouse.server.cli;

import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraWriter;
import dev.bakehouse.lora.ops.Progress;
import dev.bakehouse.lora.ops.SurgeryMetadata;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.sd.DetectedArchitecture.Family;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What the kohya-compatible LoRA surgery commands share: precision names, output checks, hashes, the bar. */
final class SurgerySupport {
    private SurgerySupport() {}

    /** sd-scripts' {@code str_to_dtype}: float, fp16, bf16; null stays null ("as the input"). */
    static DType dtype(String option, String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "float", "fp32", "float32" -> DType.F32;
            case "fp16", "float16" -> DType.F16;
            case "bf16", "bfloat16" -> DType.BF16;
            default -> throw new IllegalArgumentException(option + " must be float, fp16 or bf16, got '" + value + "'");
        };
    }

    /** Bakehouse writes safetensors only: a .ckpt/.pt target is refused before any work. */
    static Path safetensorsTarget(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        if (!value.toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            throw new IllegalArgumentException(option + " " + value + ": only .safetensors files are written (kohya would "
                    + "torch.save a pickle here); use a .safetensors name");
        }
        return Path.of(value);
    }

    static Path existing(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        Path p = Path.of(value);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(option + " " + value + ": no such file");
        }
        return p;
    }

    static String title(Path file) {
        return SurgeryMetadata.title(file);
    }

    /** A LoRA with kohya's modelspec fields unless {@code noMetadata}, written with sshs hashes. */
    static void writeLora(LoraNetwork network, Path target, DType saveDtype, Family family, boolean noMetadata)
            throws TensorFileException {
        Map<String, String> metadata = new LinkedHashMap<>(network.metadata());
        if (!noMetadata) {
            metadata.putAll(SurgeryMetadata.loraModelSpec(family == null ? Family.SD1 : family, title(target), Instant.now(),
                    ZoneId.systemDefault()));
        }
        LoraWriter.write(new LoraNetwork(network.modules(), metadata, network.unknownKeys(), network.styles()), target,
                saveDtype, true);
    }


    /** A progress bar on stderr, redrawn in place, closed by the last step. */
    static Progress bar(PrintWriter err, String label) {
        return (done, total) -> {
            err.print("\r" + label + " " + ProgressPrinter.bar(done, total));
            if (done >= total) {
                err.println();
            }
            err.flush();
        };
    }

    /** Prints a usage error as argparse does and returns its exit status. */
    static int usageError(PrintWriter err, String command, String message) {
        err.println("usage: bakehouse " + command + " [-h] [options]  (bakehouse " + command + " --help)");
        err.println("bakehouse " + command + ": error: " + message);
        err.flush();
        return 2;
    }
}
