package dev.bakehouse.node.gachamax;

import dev.bakehouse.model.sampling.SamplerName;
import dev.bakehouse.model.sampling.SigmaScheduler;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.InputSpec.SocketInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.node.sd.ClipValue;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelValue;
import dev.bakehouse.node.sd.VaeValue;
import dev.bakehouse.node.train.DatasetValue;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GachamaxRound}: one round of the GACHAMAX loop named by {@code loop}, the one-image method
 * of the LoRA guides as a node. Each run advances the loop by one round (its state lives in the
 * {@link GachamaxStore}, so it re-runs on every queue and survives restarts): round 1 copies the
 * DATASET into dataset version 1; round N builds version N from version N-1 plus round N-1's picks
 * minus its drops; then it trains a quick LoRA on the version (TrainLoRA's code and files), writes
 * the LoRA's lineage copy, generates candidates at the training resolution, scores and (with the
 * auto picker) picks them, and renders a probe grid with the base model and the previous round as
 * baselines. With the manual picker the next run waits until the picks arrive.
 */
public final class GachamaxRoundNode implements Node {
    public static final String NAME = "GachamaxRound";
    static final String TOY_SCORER = "toy-world analyzer";
    static final List<String> SCORERS = List.of(TOY_SCORER, "none");
    /** The TrainLoRA widgets the round exposes; the rest keep TrainLoRA's defaults or come from kohya_args. */
    static final List<String> TRAINING_WIDGETS = List.of("max_train_epochs", "network_dim", "network_alpha",
            "learning_rate", "train_batch_size", "kohya_args");

    private final RoundRunner runner;
    private final NodeSpec spec;

    public GachamaxRoundNode(DataDirs dirs, ModelCache cache, GachamaxStore store) {
        this.runner = new RoundRunner(dirs, cache, store);
        this.spec = NodeSpec.builder(NAME)
                .displayName("GACHAMAX Round")
                .category("bakehouse/gachamax")
                .outputNode()
                .description("One round of the GACHAMAX loop: trains a quick LoRA on the loop's current dataset version, "
                        + "generates candidates, picks the best (auto) or waits for your picks (manual; GACHAMAX panel), "
                        + "and grids probe prompts against the base model and the previous round. Queue it again for "
                        + "the next round; the loop's state is kept in the server's database.")
                .required(
                        SocketInput.of("model", DataType.MODEL).withTooltip("The base model (LoadCheckpoint, no LoRAs)."),
                        SocketInput.of("clip", DataType.CLIP),
                        SocketInput.of("vae", DataType.VAE),
                        SocketInput.of("dataset", DataType.DATASET).withTooltip("The starting images (round 1 copies "
                                + "them; your folder is never changed)."),
                        StringInput.of("loop", "gachamax").withTooltip("The loop's name: its rounds, dataset versions "
                                + "and LoRAs are kept under it."),
                        ComboInput.of("picker", Picker.keys()).withDefault("auto")
                                .withTooltip("auto: the scorer keeps the best candidates; manual: pick in the GACHAMAX panel."),
                        ComboInput.of("scorer", SCORERS).withDefault(TOY_SCORER).withTooltip("Scores candidates and "
                                + "probes against their prompts (toy-world captions only)."),
                        IntInput.of("candidates", 8, 1, 256).withTooltip("Candidates generated per round."),
                        IntInput.of("picks", 2, 0, 256).withTooltip("Candidates the auto picker adds to the dataset."),
                        StringInput.of("prompts", "").withMultiline().withTooltip("Candidate prompts, one per line, "
                                + "used in turn; a pick's prompt becomes its caption. Empty: the dataset's captions."),
                        StringInput.of("probe_prompts", "").withMultiline().withTooltip("Prompts of the probe grid and "
                                + "the over-fit score, one per line: some with the trigger, some without."),
                        StringInput.of("trigger", "kiki").withTooltip("The trigger word of the concept."),
                        StringInput.of("negative", "").withMultiline(),
                        FloatInput.of("cfg", 6.0, 0.0, 30.0).withStep(0.5).withTooltip("Guidance of candidates "
                                + "and probes; 5-7: higher oversaturates what the next round learns."),
                        IntInput.of("steps", 20, 1, 1000),
                        ComboInput.of("sampler_name", Arrays.stream(SamplerName.values()).map(SamplerName::comfyName).toList())
                                .withDefault("euler"),
                        ComboInput.of("scheduler", Arrays.stream(SigmaScheduler.values()).map(SigmaScheduler::comfyName)
                                .toList()).withDefault("normal"),
                        IntInput.of("seed", 0, 0, Integer.MAX_VALUE).withTooltip("Round r trains with seed + r - 1 "
                                + "(kohya's --seed, modulo 2^31) and draws candidate i with seed + 100000 r + i; probes "
                                + "always use seed."),
                        IntInput.of("max_train_epochs", 10, 1, 100_000).withTooltip("Epochs per round (about 10 for "
                                + "the quick LoRA of the one-image method)."),
                        IntInput.of("network_dim", 8, 1, 1024),
                        FloatInput.of("network_alpha", 4.0, 0.0, 1024.0).withStep(0.5),
                        FloatInput.of("learning_rate", 1e-4, 0.0, 10.0).withStep(0.000001),
                        IntInput.of("train_batch_size", 1, 1, 256))
                .optional(
                        StringInput.of("kohya_args", "").withMultiline().withTooltip("More kohya options, as for TrainLoRA."),
                        SocketInput.of("style_model", DataType.MODEL).withTooltip("Style variety: candidates of later "
                                + "rounds are drawn on this MODEL (another checkpoint, or one with a style LoRA)."),
                        SocketInput.of("style_clip", DataType.CLIP).withTooltip("The CLIP that goes with style_model."),
                        IntInput.of("style_from_round", 2, 1, 10_000).withTooltip("First round drawn with the style model."))
                .output(OutputSpec.of(DataType.LORA).withTooltip("This round's LoRA (with its lineage metadata)."))
                .output(OutputSpec.of(DataType.IMAGE, "candidates"))
                .output(OutputSpec.of(DataType.IMAGE, "probe_grid").withTooltip("Probe prompts x (base, previous "
                        + "round, this round)."))
                .output(OutputSpec.of(DataType.STRING, "round").withTooltip("The round's record as JSON."))
                .build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    /** The loop's state is outside the inputs: every queue advances it. */
    @Override
    public Object fingerprint(NodeInputs literalInputs) {
        return ALWAYS_CHANGED;
    }

    @Override
    public NodeResult execute(NodeInputs in, NodeContext ctx) throws Exception {
        ModelValue styleModel = in.optional("style_model", ModelValue.class).orElse(null);
        ClipValue styleClip = in.optional("style_clip", ClipValue.class).orElse(null);
        if ((styleModel == null) != (styleClip == null)) {
            throw new IllegalArgumentException(NAME + ": connect style_model and style_clip together (found only "
                    + (styleModel != null ? "style_model" : "style_clip") + ")");
        }
        RoundRunner.Views views = new RoundRunner.Views(in.get("model", ModelValue.class), in.get("clip", ClipValue.class),
                in.get("vae", VaeValue.class), styleModel, styleClip);
        return runner.run(settings(in), views, in.get("dataset", DatasetValue.class), ctx);
    }

    static RoundSettings settings(NodeInputs in) {
        Map<String, Object> training = new LinkedHashMap<>();
        for (String name : TRAINING_WIDGETS) {
            if (in.has(name)) {
                training.put(name, in.asMap().get(name));
            }
        }
        int styleFrom = in.has("style_from_round") ? in.getInt("style_from_round") : 2;
        return new RoundSettings(in.getString("loop").strip(), Picker.of(in.getString("picker")),
                TOY_SCORER.equals(in.getString("scorer")), in.getInt("candidates"), in.getInt("picks"),
                RoundSettings.lines(in.getString("prompts")), RoundSettings.lines(in.getString("probe_prompts")),
                in.getString("trigger").strip(), in.getString("negative"), in.getDouble("cfg"), in.getInt("steps"),
                SamplerName.fromComfyName(in.getString("sampler_name")),
                SigmaScheduler.fromComfyName(in.getString("scheduler")), in.getLong("seed"), training, styleFrom);
    }
}
