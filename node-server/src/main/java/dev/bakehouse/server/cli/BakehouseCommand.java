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
                SvdMergeLoraCommand.class, ResizeLoraCommand.class, CommandLine.HelpCommand.class})
public final class BakehouseCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BakehouseCommand()).execute(args));
    }
}
