package dev.bakehouse.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakehouse.node.AllNodes;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeRegistry;
import dev.bakehouse.node.grid.LoraBlockAnalysis;
import dev.bakehouse.node.lora.LoadLora;
import dev.bakehouse.node.sd.LoadCheckpoint;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelSettings;
import dev.bakehouse.server.BakehouseServer;
import dev.bakehouse.server.ServerConfig;
import dev.bakehouse.server.json.Json;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bakehouse lbw-analyze}: the effective-block analysis of one LoRA from the command line —
 * which LoRA Block Weight blocks carry its effect — as the {@code LoraBlockAnalysis} node computes
 * it: the command is that node behind LoadCheckpoint and LoadLoRA, run headless, printing the
 * table and writing the grid, CSV and JSON into the output folder.
 */
@Command(name = "lbw-analyze", mixinStandardHelpOptions = true,
        description = "Switch each LoRA Block Weight block of a LoRA off (and on alone) and report which blocks "
                + "carry its effect: a table on stdout, a labelled grid and CSV/JSON in the output folder.")
final class LbwAnalyzeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--checkpoint", required = true, description = "checkpoint name under models/checkpoints")
    String checkpoint;

    @Option(names = "--lora", required = true, description = "LoRA name under models/loras")
    String lora;

    @Option(names = "--prompt", required = true, description = "the prompt every image shares")
    String prompt;

    @Option(names = "--negative", defaultValue = "", description = "negative prompt")
    String negative;

    @Option(names = "--strength", defaultValue = "1.0", description = "LoRA strength (default ${DEFAULT-VALUE})")
    double strength;

    @Option(names = "--width", defaultValue = "512", description = "image width (default ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--height", defaultValue = "512", description = "image height (default ${DEFAULT-VALUE})")
    int height;

    @Option(names = "--seed", defaultValue = "0", description = "seed shared by every image (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--steps", defaultValue = "20", description = "sampling steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--cfg", defaultValue = "7.0", description = "CFG scale (default ${DEFAULT-VALUE})")
    double cfg;

    @Option(names = "--sampler", defaultValue = "euler", description = "ComfyUI sampler name (default ${DEFAULT-VALUE})")
    String sampler;

    @Option(names = "--scheduler", defaultValue = "normal", description = "ComfyUI scheduler name (default ${DEFAULT-VALUE})")
    String scheduler;

    @Option(names = "--prefix", defaultValue = "lbw-analysis/LoraBlockAnalysis",
            description = "output file name prefix (default ${DEFAULT-VALUE})")
    String prefix;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        DeviceSetup.apply(common.device);
        DataDirs dirs = BakehouseServer.dataDirs(ServerConfig.defaults(common.resolvedDataDir())
                .withExtraModelDirs(common.extraModelDirs));
        ModelSettings settings = common.modelSettings();
        try (ModelCache models = new ModelCache(settings.device(), settings.maxCheckpoints())) {
            return HeadlessRun.execute(NodeRegistry.of(AllNodes.all(dirs, settings, models)), dirs, graph(), Json.object(),
                    "lbw-analyze", spec.commandLine().getErr(), spec.commandLine().getOut());
        }
    }

    /** LoadCheckpoint → LoadLoRA → LoraBlockAnalysis, as an API-format prompt. */
    ObjectNode graph() {
        ObjectNode graph = Json.object();
        ObjectNode load = graph.putObject("1");
        load.put("class_type", LoadCheckpoint.COMFY_NAME);
        load.putObject("inputs").put("ckpt_name", checkpoint);
        ObjectNode loadLora = graph.putObject("2");
        loadLora.put("class_type", LoadLora.NAME);
        loadLora.putObject("inputs").put("lora_name", lora);
        ObjectNode analysis = graph.putObject("3");
        analysis.put("class_type", LoraBlockAnalysis.NAME);
        ObjectNode in = analysis.putObject("inputs");
        in.putArray("model").add("1").add(0);
        in.putArray("clip").add("1").add(1);
        in.putArray("vae").add("1").add(2);
        in.putArray("lora").add("2").add(0);
        in.put("positive", prompt).put("negative", negative).put("width", width).put("height", height)
                .put("seed", seed).put("steps", steps).put("cfg", cfg).put("sampler_name", sampler)
                .put("scheduler", scheduler).put("strength", strength).put("filename_prefix", prefix);
        return graph;
    }
}
