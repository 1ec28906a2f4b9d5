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
import dev.bakehouse.train.run.TrainingForwardCheck;
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
        description = {"Run a checkpoint's text encoder, UNet and VAE on reference inputs and write the outputs, "
                + "to compare with a reference implementation.",
                "With training inputs (a file holding 'noise', as sd15-tiny/train-cases.safetensors), run kohya's training "
                + "step for each case whose inputs are present, --lora as network_weights, and write loss.<case>, "
                + "loss_per_sample.<case> and the directional derivatives dd.<case> along the dir<k>.* tensors."})
public final class ForwardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "SD1.x or SDXL single-file checkpoint (.safetensors)")
    Path checkpoint;

    @Option(names = "--inputs", required = true, description = "safetensors with the fixture input names: SD1 text_ids, latents+timesteps+context, vae_z, vae_x; "
            + "SDXL te1_ids, te2_ids, original_size+crop_coords_top_left+target_size, latents+timesteps+context+y, "
            + "vae_z, vae_unet_latent, vae_x")
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

    @Option(names = "--directions", description = "training inputs: file with the dir<k>.<lora key> directions "
            + "(default: --inputs)")
    Path directions;

    @Option(names = "--lbw", description = "LoRA Block Weight: 17 or 26 comma-separated ratios (12 or 20 for SDXL), or a preset (ALL, INS, OUTD, "
            + "SDXL-OUTALL, ...)")
    String lbw;

    private static boolean isTrainingInputs(Path file) throws IOException {
        try (SafetensorsFile in = SafetensorsFile.open(file)) {
            return in.contains("noise");
        }
    }

    private int training(ComputeDevice computeDevice) throws IOException, CheckpointMismatchException {
        if (lora == null) {
            throw new IllegalArgumentException("training inputs need --lora (the LoRA being trained, as network_weights)");
        }
        if (lbw != null || loraTextStrength != null || loraStrength != 1.0f) {
            throw new IllegalArgumentException("--lbw, --lora-strength and --lora-te-strength do not apply to training "
                    + "inputs (the training step runs the LoRA at multiplier 1)");
        }
        try (StableDiffusion model = Checkpoints.load(checkpoint, config, computeDevice);
                SafetensorsFile in = SafetensorsFile.open(inputs);
                SafetensorsFile dirs = directions == null ? null : SafetensorsFile.open(directions)) {
            TrainingForwardCheck.Report report = TrainingForwardCheck.run(model, checkpoint, LoraReader.read(lora), in,
                    dirs == null ? in : dirs, output);
            for (String s : report.skipped()) {
                spec.commandLine().getOut().println("skipped case " + s);
            }
            spec.commandLine().getOut().println("wrote " + report.written().size() + " tensors ("
                    + String.join(", ", report.written()) + ") to " + output);
        }
        return 0;
    }

    /** Exit code for input the command cannot use (bad file, missing tensor, mismatched checkpoint). */
    static final int BAD_INPUT = 2;

    @Override
    public Integer call() throws Exception {
        ComputeDevice computeDevice = DeviceSetup.apply(device);
        try {
            if (lora == null && (lbw != null || loraTextStrength != null)) {
                throw new IllegalArgumentException("--lbw and --lora-te-strength need --lora");
            }
            if (isTrainingInputs(inputs)) {
                return training(computeDevice);
            }
            if (directions != null) {
                throw new IllegalArgumentException("--directions is for training inputs (a file with 'noise'); "
                        + inputs + " has none");
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
