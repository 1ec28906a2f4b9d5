package dev.bakehouse.server.cli;

import dev.bakehouse.model.Checkpoints;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.ForwardCheck;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.tensor.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bakehouse forward}: runs a checkpoint on reference inputs and writes its outputs (see {@link ForwardCheck}). */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Run a checkpoint's text encoder, UNet and VAE on reference inputs and write the outputs, "
                + "to compare with a reference implementation.")
public final class ForwardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "SD1.x single-file checkpoint (.safetensors)")
    Path checkpoint;

    @Option(names = "--inputs", required = true, description = "safetensors with text_ids, latents+timesteps+context, vae_z and/or vae_x")
    Path inputs;

    @Option(names = "--output", required = true, description = "safetensors to write (F32)")
    Path output;

    @Option(names = "--config", description = "model config JSON with LDM names (default: inferred from the weight shapes)")
    Path config;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu (default), cuda or cuda:N")
    String device;

    /** Exit code for input the command cannot use (bad file, missing tensor, mismatched checkpoint). */
    static final int BAD_INPUT = 2;

    @Override
    public Integer call() throws Exception {
        try {
            ComputeDevice computeDevice = ComputeDevice.parse(device);
            try (StableDiffusion model = Checkpoints.load(checkpoint, config, computeDevice);
                    SafetensorsFile in = SafetensorsFile.open(inputs)) {
                List<String> written = ForwardCheck.run(model, in, output);
                spec.commandLine().getOut().println("wrote " + String.join(", ", written) + " to " + output);
            }
            return 0;
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            // user errors: the message names the file, key or option; a stack trace would only bury it
            spec.commandLine().getErr().println("forward: " + e.getMessage());
            return BAD_INPUT;
        }
    }
}
