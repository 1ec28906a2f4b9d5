package dev.bakehouse.server.cli;

import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.tokenizer.TokenizerLocator;
import dev.bakehouse.node.sd.ModelSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options shared by commands that work on a data dir. */
final class CommonOptions {
    static final String DATA_DIR_ENV = "BAKEHOUSE_DATA_DIR";

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Root of models/, input/, output/, temp/, datasets/ and the database "
                    + "(default: $" + DATA_DIR_ENV + ", else ./data).")
    Path dataDir;

    @Option(
            names = "--extra-model-dir",
            paramLabel = "DIR",
            description = "An existing ComfyUI (or its models/ folder) or AUTOMATIC1111 install whose "
                    + "checkpoints, LoRAs, VAEs and embeddings are listed too. Repeatable.")
    List<Path> extraModelDirs = new ArrayList<>();

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    String device;

    @Option(
            names = "--device",
            paramLabel = "cpu|cuda[:N]",
            defaultValue = "${sys:bakehouse.device:-cpu}",
            description = "Compute device (default: ${DEFAULT-VALUE}). See README for CUDA libtorch.")
    void device(String value) {
        this.device = DeviceSetup.checkOption(command.commandLine(), value);
    }

    @Option(
            names = "--clip-tokenizer",
            paramLabel = "DIR",
            description = "Folder holding the SD1 CLIP tokenizer (vocab.json, merges.txt). Default: "
                    + "$BAKEHOUSE_CLIP_TOKENIZER, else <data-dir>/" + TokenizerLocator.DATA_DIR_TOKENIZER
                    + ", the checkpoint's folder, a ComfyUI install ($COMFYUI_PATH), the Hugging Face cache, "
                    + "and last the copy bundled in the jar.")
    Path clipTokenizer;

    /** Device and tokenizer settings of the model nodes. */
    ModelSettings modelSettings() {
        return ModelSettings.of(ComputeDevice.parse(device), clipTokenizer);
    }

    /** The flag, else the environment variable, else ./data. */
    Path resolvedDataDir() {
        if (dataDir != null) {
            return dataDir;
        }
        String fromEnv = System.getenv(DATA_DIR_ENV);
        return fromEnv == null || fromEnv.isBlank() ? Path.of("data") : Path.of(fromEnv);
    }
}
