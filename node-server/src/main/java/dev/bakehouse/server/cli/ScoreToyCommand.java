package dev.bakehouse.server.cli;

import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.model.tokenizer.BundledTokenizer;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.sd.CheckpointFile;
import dev.bakehouse.node.sd.Embeddings;
import dev.bakehouse.node.sd.FileVersion;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelSettings;
import dev.bakehouse.node.sd.PatchedCheckpoint;
import dev.bakehouse.node.sd.TrainingSampleRenderer;
import dev.bakehouse.server.BakehouseServer;
import dev.bakehouse.server.ServerConfig;
import dev.bakehouse.toy.quality.CaptionScorer;
import dev.bakehouse.toy.quality.Scorecard;
import dev.bakehouse.toy.world.SceneKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bakehouse score-toy}: how well a checkpoint (optionally with a LoRA at some strengths)
 * draws toy-world captions, read back by the scene analyzer — the numbers of the toy model's
 * quality tests, for any checkpoint, LoRA or epoch file.
 */
@Command(name = "score-toy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Render toy-world captions with a checkpoint (and a LoRA) and report the scene analyzer's "
                + "agreement: background, colour, shape, all facts, and how often kiki appears.")
final class ScoreToyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "checkpoint file (.safetensors)")
    Path checkpoint;

    @Option(names = "--lora", paramLabel = "FILE", description = "a LoRA file applied to UNet and text encoder")
    Path lora;

    @Option(names = "--strength", split = ",", defaultValue = "1.0",
            description = "LoRA strengths to score, comma-separated (default ${DEFAULT-VALUE})")
    List<Double> strengths;

    @Option(names = "--captions", defaultValue = "held-in",
            description = "held-in (pretraining scenes), kiki (captions with the trigger) or any (default ${DEFAULT-VALUE})")
    String captions;

    @Option(names = "--count", defaultValue = "40", description = "captions to render (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--steps", defaultValue = "12", description = "sampling steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--cfg", defaultValue = "5.0", description = "CFG scale (default ${DEFAULT-VALUE})")
    double cfg;

    @Option(names = "--sampler", defaultValue = "euler", description = "kohya sample_sampler name (default ${DEFAULT-VALUE})")
    String sampler;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the first image (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--save", paramLabel = "DIR", description = "also write each image as DIR/<strength>/<n>.png")
    Path save;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SceneKind kind = switch (captions.toLowerCase(Locale.ROOT)) {
            case "held-in" -> SceneKind.PRETRAINING;
            case "kiki" -> SceneKind.KIKI;
            case "any" -> SceneKind.ANY;
            default -> null;
        };
        if (kind == null || count < 1 || !Files.isRegularFile(checkpoint) || (lora != null && !Files.isRegularFile(lora))) {
            err.println("bakehouse score-toy: " + (kind == null ? "--captions must be held-in, kiki or any, got " + captions
                    : count < 1 ? "--count must be >= 1" : "no such file: " + (Files.isRegularFile(checkpoint) ? lora : checkpoint)));
            return 2;
        }
        DeviceSetup.apply(common.device);
        DataDirs dirs = BakehouseServer.dataDirs(ServerConfig.defaults(common.resolvedDataDir())
                .withExtraModelDirs(common.extraModelDirs));
        ModelSettings settings = common.modelSettings();
        List<String> prompts = CaptionScorer.captions(kind, count);
        CaptionScorer.Settings how = new CaptionScorer.Settings(steps, cfg, sampler, 128);
        try (ModelCache cache = new ModelCache(settings.device(), 1)) {
            ClipTokenizer tokenizer = cache.tokenizer(BundledTokenizer.files());
            Embeddings embeddings = new Embeddings(dirs, cache);
            PatchedCheckpoint base = PatchedCheckpoint.of(cache, CheckpointFile.of(checkpoint.toAbsolutePath()));
            LoraNetwork network = lora == null ? null : cache.lora(FileVersion.of(lora.toAbsolutePath()));
            for (double strength : lora == null ? List.of(0.0) : strengths) {
                PatchedCheckpoint view = network == null ? base
                        : base.withLora(LoraApplication.of(lora.getFileName().toString(), network, (float) strength));
                Path folder = save == null ? null : save.resolve(String.format(Locale.ROOT, "%.2f", strength));
                Scorecard card = view.use(model -> new CaptionScorer(new TrainingSampleRenderer(model, tokenizer, embeddings,
                        null, err::println), how).score(prompts, seed, (row, image) -> write(folder, row, image)));
                out.println((network == null ? "" : String.format(Locale.ROOT, "strength %.2f: ", strength)) + card.summary());
                out.flush();
            }
        }
        return 0;
    }

    private static void write(Path folder, Scorecard.Row row, java.awt.image.BufferedImage image) {
        if (folder == null) {
            return;
        }
        try {
            Files.createDirectories(folder);
            String name = String.format(Locale.ROOT, "%05d-%s.png", row.seed(), row.agrees() ? "ok" : "miss");
            ImageIO.write(image, "png", folder.resolve(name).toFile());
            Files.writeString(folder.resolve("captions.tsv"), row.seed() + "\t" + row.caption() + "\t" + row.found().caption()
                    + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
