package dev.bakehouse.node.train;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.ExecutionInterruptedException;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.InputSpec;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.node.image.Images;
import dev.bakehouse.node.lora.LoraValue;
import dev.bakehouse.node.sd.CheckpointFile;
import dev.bakehouse.node.sd.ClipValue;
import dev.bakehouse.node.sd.FileVersion;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelValue;
import dev.bakehouse.node.sd.TrainingSampleRenderer;
import dev.bakehouse.node.sd.VaeValue;
import dev.bakehouse.train.data.BadInputPolicy;
import dev.bakehouse.train.run.LoraTrainer;
import dev.bakehouse.train.run.TrainingSetup;
import dev.bakehouse.train.save.ModelFileHashes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * {@code TrainLoRA}: trains a kohya LoRA on the loaded checkpoint behind MODEL/CLIP/VAE from a
 * DATASET, with kohya's options (widgets plus a pasted {@code kohya_args}; see
 * {@link TrainLoraArgs} for which wins). Outputs every saved LoRA file as a LORA list (one per
 * saved epoch, then the last; ComfyUI's {@code OUTPUT_IS_LIST}) and the loss chart.
 *
 * <p>The files go to {@code models/loras/<output_name>/}, where LoraLoader and LoadLoRA list
 * them, with the CSV log, the chart, state folders and {@link TrainingManifest}. A re-queued run
 * with the same inputs returns its finished files without training, even after a restart; one
 * that was interrupted continues from its saved state.
 *
 * <p>The shared cached model is trained in place but not changed: the LoRA hooks into its layers
 * through adapters, base weights stay frozen, and the network is closed (unhooked) when the run
 * ends, all while the model's monitor is held ({@link dev.bakehouse.node.sd.PatchedCheckpoint#use}).
 * A MODEL or CLIP with LoRAs patched in upstream is refused: training would start from weights
 * that no saved file records.
 */
public final class TrainLora implements Node {
    public static final String NAME = "TrainLoRA";

    private final DataDirs dirs;
    private final ModelCache cache;
    private final LiveTrainings live;
    private final NodeSpec spec;

    /** A TrainLoRA no one outside the graph controls. */
    public TrainLora(DataDirs dirs, ModelCache cache) {
        this(dirs, cache, new LiveTrainings());
    }

    /** @param live where the server's live controls ({@code /bakehouse/train/{prompt_id}/…}) reach the run */
    public TrainLora(DataDirs dirs, ModelCache cache, LiveTrainings live) {
        this.dirs = dirs;
        this.cache = cache;
        this.live = live;
        List<InputSpec> required = new ArrayList<>(List.of(
                SocketInput.of("model", DataType.MODEL).withTooltip("The base model (LoadCheckpoint's MODEL, no LoRAs applied)."),
                SocketInput.of("clip", DataType.CLIP).withTooltip("The same checkpoint's CLIP."),
                SocketInput.of("vae", DataType.VAE).withTooltip("The same checkpoint's VAE (encodes the images)."),
                SocketInput.of("dataset", DataType.DATASET).withTooltip("The images and captions (LoadDataset).")));
        required.addAll(TrainLoraWidgets.specs());
        this.spec = NodeSpec.builder(NAME)
                .displayName("Train LoRA")
                .category("bakehouse/train")
                .description("Trains a kohya-format LoRA (train_network.py's options and files). Each saved epoch "
                        + "is one LORA of the list output. kohya_args takes a pasted command line, TOML or kohya_ss "
                        + "JSON config; what it sets wins over the widgets. An identical re-queued run reuses its files; "
                        + "an interrupted one continues from its state.")
                .required(required.toArray(InputSpec[]::new))
                .optional(StringInput.of(TrainLoraArgs.KOHYA_ARGS, "").withMultiline()
                        .withTooltip("kohya options as a train_network.py command line (accelerate launch prefix "
                                + "allowed), a TOML config or a kohya_ss JSON config. Every option it sets wins over "
                                + "the widget of the same name; the base model, dataset folder and output folder "
                                + "always come from the graph."))
                .optional(TrainLoraWidgets.optionalSpecs().toArray(InputSpec[]::new))
                .output(OutputSpec.of(DataType.LORA).asList()
                        .withTooltip("Each saved LoRA file: one per saved epoch, then the last."))
                .output(OutputSpec.of(DataType.IMAGE, "loss_chart").withTooltip("Loss (and average loss) per step."))
                .build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) throws IOException {
        ModelValue model = inputs.get("model", ModelValue.class);
        ClipValue clip = inputs.get("clip", ClipValue.class);
        DatasetValue dataset = inputs.get("dataset", DatasetValue.class);
        CheckpointFile checkpoint = baseCheckpoint(model, clip, inputs.get("vae", VaeValue.class));
        Path loras = dirs.models(DataDirs.LORAS);
        boolean cuda = "cuda".equals(cache.device().name());
        TrainLoraArgs planned = TrainLoraArgs.build(inputs, dataset, checkpoint.weights().file(),
                name -> outputDir(loras, name), null, cuda);
        checkClipSkip(clip, planned);
        Path out = Path.of(planned.args().saving().outputDir());
        String runId = TrainingManifest.runId(checkpoint.weights() + " + " + checkpoint.config(), dataset.fingerprint(),
                planned.identity());
        NodeTrainingListener listener = new NodeTrainingListener(ctx, loras);
        LiveTrainings.Requests control = live.open(ctx.promptId());
        try {
            Optional<TrainingManifest> earlier = TrainingManifest.read(out);
            if (earlier.isPresent() && earlier.get().reusable(runId)) {
                listener.ended("reused", "TrainLoRA: this run already finished in " + out + "; returning its files",
                        control.take());
                return outputs(loras, earlier.get().loras().stream().map(TrainingManifest.RecordedFile::file).toList(),
                        earlier.get().chart());
            }
            Path resume = earlier.flatMap(m -> m.resumable(runId)).orElse(null);
            if (resume == null) {
                TrainingManifest.forget(out);
            }
            TrainLoraArgs run = resume == null ? planned : TrainLoraArgs.build(inputs, dataset,
                    checkpoint.weights().file(), name -> outputDir(loras, name), resume, cuda);
            run.notes().forEach(listener::message);
            TrainingSetup setup = TrainingSetup.resolve(run.args(), BadInputPolicy.STOP, inputs.getLong("seed"));
            Files.createDirectories(out);
            LoraTrainer.Result result = train(model, clip, checkpoint, run, setup, listener, control, ctx);
            return ended(result, runId, out, loras, listener, control);
        } finally {
            live.close(ctx.promptId(), control);
        }
    }

    private LoraTrainer.Result train(ModelValue model, ClipValue clip, CheckpointFile checkpoint, TrainLoraArgs run,
                                     TrainingSetup setup, NodeTrainingListener listener, LiveTrainings.Requests control,
                                     NodeContext ctx) {
        Path out = Path.of(run.args().saving().outputDir());
        Path checkpointFile = checkpoint.weights().file();
        var identity = Files.isRegularFile(checkpointFile) ? ModelFileHashes.of(checkpointFile) : null;
        return model.checkpoint().use(sd -> {
            var tokenizer = clip.tokenizer().get();
            var renderer = new TrainingSampleRenderer(sd, tokenizer, clip.embeddings(), run.args().model().clipSkip(),
                    w -> listener.message("warning: " + w));
            return LoraTrainer.run(new LoraTrainer.Inputs(setup, sd, tokenizer, out,
                    dirs.root().resolve("cache").resolve("latents"),
                    identity != null ? identity.sha256() : checkpointFile.toString(),
                    new LoraTrainer.RunIdentity(new SecureRandom().nextLong() & 0xFFFFFFFFL, ctx.clock().instant(),
                            identity, "bakehouse"), renderer, listener::stopRequested, ctx.clock(), control), listener);
        });
    }

    /**
     * Records the run in its manifest and ends the node: with the LoRAs for a finished run or a
     * live stop (kept: resumable, yet the prompt succeeds with the files so far), interrupted for
     * an interrupt.
     */
    private NodeResult ended(LoraTrainer.Result result, String runId, Path out, Path loras, NodeTrainingListener listener,
                             LiveTrainings.Requests control) throws IOException {
        List<TrainingManifest.RecordedFile> saved = result.saved().stream().map(TrainingManifest.RecordedFile::of).toList();
        if (result.stopped()) {
            new TrainingManifest(runId, false, saved, result.chart(), result.resumeFrom()).write(out);
            String where = "the LoRA so far is " + result.last() + " and its state " + result.resumeFrom() + ". Queue the "
                    + "same prompt again (same inputs) to continue from there, or run bakehouse train_network with --resume "
                    + result.resumeFrom();
            if (listener.interrupted() || !control.stopTaken()) {
                listener.ended("stopped", "TrainLoRA stopped at step " + result.steps() + "; " + where, control.take());
                throw new ExecutionInterruptedException();
            }
            listener.ended("kept", "TrainLoRA stopped on request at step " + result.steps() + "; " + where, control.take());
            return outputs(loras, result.saved(), result.chart());
        }
        new TrainingManifest(runId, true, saved, result.chart(), null).write(out);
        listener.ended("finished", "TrainLoRA: " + saved.size() + " LoRA file(s) in " + out + " after " + result.steps()
                + " steps", control.take());
        return outputs(loras, result.saved(), result.chart());
    }

    /**
     * The output folder's manifest joins the cache key: a run stopped with {@code /stop} ends
     * successfully, so its outputs are cached, yet queueing the same prompt again must continue it
     * (and a finished run's files changed on disk must be checked again) rather than return the
     * cached LORAs. The folder is the one {@code output_name} names, in {@code kohya_args} or the widget.
     */
    @Override
    public Object fingerprint(NodeInputs literalInputs) {
        String name = literalInputs.optional(TrainLoraWidgets.OUTPUT_NAME, String.class).orElse("").strip();
        String pasted = literalInputs.optional(TrainLoraArgs.KOHYA_ARGS, String.class).orElse("");
        Object fromArgs = dev.bakehouse.train.config.KohyaArgsText.parse(pasted, TrainLoraArgs.KOHYA_ARGS).given()
                .get(TrainLoraWidgets.OUTPUT_NAME);
        if (fromArgs != null) {
            name = fromArgs.toString();
        }
        Path manifest = outputDir(dirs.models(DataDirs.LORAS), name).resolve(TrainingManifest.FILE_NAME);
        return Files.isRegularFile(manifest) ? FileVersion.of(manifest) : "no run yet";
    }

    /** The one checkpoint MODEL, CLIP and VAE come from, without LoRAs; else an error naming the input. */
    private static CheckpointFile baseCheckpoint(ModelValue model, ClipValue clip, VaeValue vae) {
        CheckpointFile file = model.checkpoint().file();
        if (!clip.checkpoint().file().equals(file) || !vae.checkpoint().file().equals(file)) {
            throw new IllegalArgumentException(NAME + ": model, clip and vae must come from one checkpoint; found MODEL "
                    + file + ", CLIP " + clip.checkpoint().file() + ", VAE " + vae.checkpoint().file());
        }
        for (var input : List.of(java.util.Map.entry("model", model.checkpoint()), java.util.Map.entry("clip", clip.checkpoint()))) {
            if (!input.getValue().loras().isEmpty()) {
                throw new IllegalArgumentException(NAME + ": the " + input.getKey() + " input has LoRAs applied ("
                        + input.getValue().loras().stream().map(l -> l.name()).toList() + "); training starts from the plain "
                        + "checkpoint: connect LoadCheckpoint's outputs directly, and to continue a LoRA pass its file "
                        + "as --network_weights in kohya_args");
            }
        }
        return file;
    }

    /**
     * A CLIPSetLastLayer upstream must agree with clip_skip, since the saved LoRA records clip_skip;
     * a plain CLIP takes clip_skip as set (a pasted kohya config's {@code clip_skip = 2} included).
     */
    private static void checkClipSkip(ClipValue clip, TrainLoraArgs args) {
        Integer skip = args.args().model().clipSkip();
        int layers = skip == null ? 1 : skip;
        if (clip.stopAtLayer() != -1 && clip.stopAtLayer() != -layers) {
            throw new IllegalArgumentException(NAME + ": the clip input stops at layer " + clip.stopAtLayer()
                    + " (CLIPSetLastLayer) but clip_skip is " + layers + " (layer " + -layers + "); set clip_skip to "
                    + -clip.stopAtLayer() + " or connect the checkpoint's CLIP directly");
        }
    }

    /** {@code models/loras/<output_name>}; the name must be one plain folder name. */
    private static Path outputDir(Path loras, String outputName) {
        if (outputName.isBlank() || outputName.contains("/") || outputName.contains("\\") || outputName.startsWith(".")) {
            throw new IllegalArgumentException(NAME + " output_name: expected a plain name (the folder under models/loras "
                    + "and the files' prefix), found '" + outputName + "'");
        }
        return DataDirs.resolveInside(loras, outputName);
    }

    private NodeResult outputs(Path loras, List<Path> files, Path chart) throws IOException {
        List<LoraValue> values = new ArrayList<>();
        for (Path file : files) {
            String name = loras.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString()
                    .replace('\\', '/');
            values.add(new LoraValue(name, file, cache.lora(FileVersion.of(file))));
        }
        BufferedImage image = ImageIO.read(chart.toFile());
        if (image == null) {
            throw new UncheckedIOException(new IOException("cannot read the loss chart " + chart));
        }
        ImageBatch lossChart = Images.toBatch(List.of(image));
        return NodeResult.of(values, lossChart);
    }
}
