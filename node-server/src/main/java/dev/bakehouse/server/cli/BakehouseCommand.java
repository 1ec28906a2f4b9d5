package dev.bakehouse.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bakehouse} command. A thin root: each subcommand is its own class, and adding one
 * is one entry in {@code subcommands} below.
 */
@Command(
        name = "bakehouse",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        description = "A node server for baking and testing Stable Diffusion LoRAs (ComfyUI-compatible API).",
        subcommands = {ServeCommand.class, RunCommand.class, NodesCommand.class, InspectCommand.class,
                ForwardCommand.class, TrainNetworkCommand.class, ExtractLoraCommand.class, MergeLoraCommand.class,
                SvdMergeLoraCommand.class, ResizeLoraCommand.class, LbwAnalyzeCommand.class, PretrainToyCommand.class,
                ScoreToyCommand.class, GachamaxCommand.class,
                CommandLine.HelpCommand.class})
public final class BakehouseCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** Exit code for a {@code --device} this machine cannot provide. */
    static final int DEVICE_UNAVAILABLE = 2;

    /** The command line {@link #main} runs: a missing GPU is one line on stderr, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new BakehouseCommand());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof DeviceUnavailableException) {
                command.getErr().println("bakehouse " + command.getCommandName() + ": " + e.getMessage());
                return DEVICE_UNAVAILABLE;
            }
            throw e;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
