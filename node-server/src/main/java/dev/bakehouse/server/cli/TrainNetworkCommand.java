package dev.bakehouse.server.cli;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.server.BakehouseServer;
import dev.bakehouse.server.ServerConfig;
import dev.bakehouse.train.config.ArgError;
import dev.bakehouse.train.config.KohyaOptions;
import dev.bakehouse.train.config.OptionSpec;
import dev.bakehouse.train.config.TrainNetworkArgs;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code bakehouse train_network} (alias {@code train}): a kohya {@code train_network.py} command line,
 * unchanged. picocli takes only Bakehouse's own options ({@code --data-dir}, {@code --device}, ...);
 * everything else goes, in order, to {@link TrainNetworkArgs}, which parses it as argparse does.
 * Exit codes: 0 trained, 1 training failed or is not available, 2 rejected arguments (as argparse).
 */
@Command(name = "train_network", aliases = "train",
        description = "Train a LoRA from a kohya train_network.py command line (--help lists its options).")
final class TrainNetworkCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Unmatched
    List<String> kohyaArgs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private final TrainNetworkLauncher launcher;

    /** The command as the CLI runs it: the launcher is built from the data-dir and device options. */
    TrainNetworkCommand() {
        this(null);
    }

    TrainNetworkCommand(TrainNetworkLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TrainNetworkArgs args;
        try {
            TrainNetworkArgs.Outcome outcome = TrainNetworkArgs.parse(kohyaArgs, Path.of(""), "cuda".equals(common.device));
            if (outcome instanceof TrainNetworkArgs.Help) {
                out.print(help());
                out.flush();
                return 0;
            }
            args = ((TrainNetworkArgs.Parsed) outcome).args();
            args = args.withPretrainedModel(checkpoint(args.model().pretrainedModelNameOrPath()));
        } catch (IllegalArgumentException e) { // ArgError and bad network_args alike: the message names the option
            err.println("usage: bakehouse train_network [-h] [kohya train_network.py options]");
            err.println("bakehouse train_network: error: " + e.getMessage());
            return ArgError.EXIT_STATUS;
        }
        args.notes().forEach(note -> err.println("note: " + note));
        err.flush();
        DeviceSetup.apply(common.device);
        TrainNetworkLauncher run = launcher != null ? launcher : new KohyaTrainLauncher(dataDirs(), common.clipTokenizer,
                dev.bakehouse.model.ComputeDevice.parse(common.device));
        return run.train(args, out, err);
    }

    /** A file path as given, else a checkpoint name under models/checkpoints of the data dirs. */
    private Path checkpoint(String nameOrPath) {
        Path path = Path.of(nameOrPath);
        if (Files.isRegularFile(path) || Files.isDirectory(path) && DataDirs.isModelFolder(path)) {
            return path;
        }
        DataDirs dirs = dataDirs();
        try {
            return dirs.resolveCheckpoint(nameOrPath);
        } catch (IllegalArgumentException e) {
            throw new ArgError("--pretrained_model_name_or_path " + nameOrPath + ": no such file, and no checkpoint of that name ("
                    + e.getMessage() + ")");
        }
    }

    private DataDirs dataDirs() {
        return BakehouseServer.dataDirs(ServerConfig.defaults(common.resolvedDataDir()).withExtraModelDirs(common.extraModelDirs));
    }

    /** kohya's options by group, each with its default and what Bakehouse does with it. */
    static String help() {
        StringBuilder b = new StringBuilder("""
                Usage: bakehouse train_network [--data-dir DIR] [--device cpu|cuda] [kohya train_network.py options]

                Runs a kohya sd-scripts train_network.py command line unchanged: replace
                `accelerate launch [accelerate options] train_network.py` with `bakehouse train_network`.
                Options take argparse's forms (--opt value, --opt=value, unique prefixes); --config_file
                reads kohya's TOML or a kohya_ss GUI JSON config, and command-line options win over it.
                """);
        for (OptionSpec.Group group : OptionSpec.Group.values()) {
            b.append('\n').append(group.name().charAt(0)).append(group.name().substring(1).toLowerCase(Locale.ROOT)).append(":\n");
            for (OptionSpec spec : KohyaOptions.ALL) {
                if (spec.group() != group) {
                    continue;
                }
                String usage = spec.flag() + (spec.type() == OptionSpec.ValueType.FLAG ? "" : spec.list() ? " [V ...]" : " V");
                StringBuilder line = new StringBuilder(String.format("  %-40s %s", usage, spec.help()));
                if (!spec.choices().isEmpty()) {
                    line.append(" {").append(String.join(",", spec.choices())).append('}');
                }
                if (spec.defaultValue() != null && !Boolean.FALSE.equals(spec.defaultValue()) && !"".equals(spec.defaultValue())) {
                    line.append(" (default ").append(spec.defaultValue()).append(')');
                }
                if (spec.status() instanceof OptionSpec.Ignored ignored) {
                    line.append(" [ignored: ").append(ignored.note()).append(']');
                } else if (spec.status() instanceof OptionSpec.Refused refused) {
                    line.append(" [refused: ").append(refused.reason()).append(']');
                }
                b.append(line.toString().stripTrailing()).append('\n');
            }
        }
        return b.toString();
    }
}
