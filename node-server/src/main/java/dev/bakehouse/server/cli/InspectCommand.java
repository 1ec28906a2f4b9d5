package dev.bakehouse.server.cli;

import dev.bakehouse.tensor.TensorFileException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bakehouse inspect FILE}: what a safetensors or {@code .ckpt} file holds, without loading
 * a model. Exit codes: 0 printed, 1 the file could not be read (the reason goes to stderr).
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = "Show a checkpoint's or LoRA's architecture, tensor count, dtypes, parameters and metadata "
                + "(for a LoRA: network type, rank/alpha per block, base model, kohya training settings).")
public final class InspectCommand implements Callable<Integer> {
    static final int UNREADABLE = 1;

    @Parameters(index = "0", paramLabel = "FILE", description = "A .safetensors, .ckpt, .pt or .pth file, or a diffusers model folder.")
    Path file;

    @Option(names = "--keys", description = "Also list every tensor with its dtype and shape.")
    boolean keys;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            InspectReport.lines(file, keys).forEach(out::println);
            out.flush();
            return 0;
        } catch (TensorFileException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("cannot inspect: " + e.getMessage());
            err.flush();
            return UNREADABLE;
        }
    }
}
