package dev.bakehouse.server.cli;

import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.lora.LoraMismatchException;
import dev.bakehouse.lora.LoraPatcher;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.lbw.LbwPresets;
import dev.bakehouse.lora.ops.LoraBlockWeights;
import dev.bakehouse.model.CheckpointMismatchException;
import dev.bakehouse.model.Checkpoints;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.ForwardCheck;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.WeightPatcher;
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

    String device;

    @Option(names = "--device", paramLabel = "cpu|cuda[:N]", defaultValue = "${sys:bakehouse.device:-cpu}",
            description = "Compute device (default: ${DEFAULT-VALUE}). See README for CUDA libtorch.")
    void device(String value) {
        this.device = DeviceSetup.checkOption(spec.commandLine(), value);
    }

    @Option(names = "--lora", description = "LoRA file applied to UNet and text encoder before the forward passes")
    Path lora;

    @Option(names = "--lora-strength", defaultValue = "1.0", description = "UNet strength of --lora (default 1.0)")
    float loraStrength;

    @Option(names = "--lora-te-strength", description = "text encoder strength of --lora (default: --lora-strength)")
    Float loraTextStrength;

    @Option(names = "--lbw", description = "LoRA Block Weight: 17 or 26 comma-separated ratios, or a preset (ALL, INS, OUTD, ...)")
    String lbw;

    /** Exit code for input the command cannot use (bad file, missing tensor, mismatched checkpoint). */
    static final int BAD_INPUT = 2;

    @Override
    public Integer call() throws Exception {
        ComputeDevice computeDevice = DeviceSetup.apply(device);
        try {
            if (lora == null && (lbw != null || loraTextStrength != null)) {
                throw new IllegalArgumentException("--lbw and --lora-te-strength need --lora");
            }
            LoraBlockWeights blockWeights = lbw == null ? null : LbwPresets.builtIn().blockWeights(lbw, "--lbw");
            try (StableDiffusion model = Checkpoints.load(checkpoint, config, computeDevice);
                    SafetensorsFile in = SafetensorsFile.open(inputs);
                    WeightPatcher patch = lora == null ? new WeightPatcher(model.params()) : LoraPatcher.apply(model, List.of(
                            new LoraApplication(lora.getFileName().toString(), LoraReader.read(lora), loraStrength,
                                    loraTextStrength == null ? loraStrength : loraTextStrength, blockWeights)))) {
                List<String> written = ForwardCheck.run(model, in, output);
                spec.commandLine().getOut().println("wrote " + String.join(", ", written) + " to " + output);
            }
            return 0;
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException
                | CheckpointMismatchException | LoraMismatchException e) {
            // user errors: the message names the file, key or option; a stack trace would only bury it
            spec.commandLine().getErr().println("forward: " + e.getMessage());
            return BAD_INPUT;
        }
    }
}
