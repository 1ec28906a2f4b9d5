package dev.bakehouse.train.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated {@code train_network.py} configuration: kohya's options grouped as {@code --help}
 * groups them, {@code --network_args} typed, and the notes to show the user (options accepted
 * without effect, defaults kohya applies silently).
 *
 * <p>Sources, lowest first, as sd-scripts layers them: kohya's defaults, {@code --config_file}
 * (TOML, or a kohya_ss GUI JSON whose {@code additional_parameters} come next), the command line.
 */
public record TrainNetworkArgs(ModelOptions model, DatasetOptions dataset, NetworkOptions network,
        LoraNetworkArgs networkArgs, OptimizerOptions optimizer, TrainingOptions training, SavingOptions saving,
        SamplingOptions sampling, LoggingOptions logging, String inlineSamplePrompts, Map<String, Object> given,
        List<String> notes) {

    public TrainNetworkArgs {
        given = Map.copyOf(given);
        notes = List.copyOf(notes);
    }

    /** A command line, or {@code --help} (for which there are no args to build). */
    public sealed interface Outcome {}

    public record Help() implements Outcome {}

    public record Parsed(TrainNetworkArgs args) implements Outcome {}

    /**
     * Parses and checks a command line (without the program name).
     *
     * @param workDir where relative {@code --config_file} paths start
     * @param cuda    whether training will run on CUDA (changes what fp16 means)
     * @throws ArgError for anything kohya would reject and for what Bakehouse refuses
     */
    public static Outcome parse(List<String> argv, Path workDir, boolean cuda) {
        KohyaArgParser.Parsed cli = KohyaArgParser.parse(argv);
        if (cli.help()) {
            return new Help();
        }
        Map<String, Object> given = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        String inlinePrompts = null;
        if (cli.given().get("config_file") instanceof String name) {
            ConfigValues file = KohyaConfigFiles.read(workDir.resolve(KohyaConfigFiles.configPath(name)));
            given.putAll(file.given());
            if (!file.extraArgs().isEmpty()) {
                given.putAll(KohyaArgParser.parse(file.extraArgs()).given());
            }
            notes.addAll(file.notes());
            inlinePrompts = file.inlineSamplePrompts();
        }
        given.putAll(cli.given());
        return new Parsed(of(given, notes, inlinePrompts, cuda));
    }

    /**
     * Checks options already converted to their types (a command line's, a config's, or a node's
     * widgets merged with a pasted {@link KohyaArgsText}) and builds the arguments.
     *
     * @param given         option values by kohya name, as {@link KohyaArgParser} converts them
     * @param earlierNotes  notes gathered while reading them, shown before the checks' own
     * @param inlinePrompts sample prompt text a kohya_ss config holds, or null
     * @throws ArgError for anything kohya would reject and for what Bakehouse refuses
     */
    public static TrainNetworkArgs of(Map<String, Object> given, List<String> earlierNotes, String inlinePrompts,
            boolean cuda) {
        List<String> notes = new ArrayList<>(earlierNotes);
        OptionValues values = new OptionValues(given);
        notes.addAll(TrainNetworkChecks.check(values, cuda));
        EmaOptions.from(values); // Bakehouse's own options fail here, with kohya's, before anything loads
        PreservationOptions.from(values);
        LoraNetworkArgs networkArgs;
        try {
            List<String> items = values.strings("network_args");
            networkArgs = LoraNetworkArgs.parse(items == null ? List.of() : items);
        } catch (IllegalArgumentException e) {
            throw new ArgError(e.getMessage());
        }
        var selected = networkArgs.network().blocks();
        if (selected != null) {
            boolean textEncoder = selected.contains(dev.bakehouse.lora.format.LbwBlock.BASE);
            boolean unet = selected.stream().anyMatch(b -> b != dev.bakehouse.lora.format.LbwBlock.BASE);
            if (values.flag("network_train_text_encoder_only") && !textEncoder || values.flag("network_train_unet_only") && !unet) {
                throw new ArgError("--network_args train_blocks=" + networkArgs.raw().get("train_blocks")
                        + " selects no block of the part being trained (BASE is the text encoder)");
            }
        }
        return new TrainNetworkArgs(ModelOptions.from(values), DatasetOptions.from(values),
                NetworkOptions.from(values), networkArgs, OptimizerOptions.from(values), TrainingOptions.from(values),
                SavingOptions.from(values), SamplingOptions.from(values), LoggingOptions.from(values), inlinePrompts, given, notes);
    }

    /** Whether the option was set by the config file or the command line (rather than defaulted). */
    public boolean isSet(String option) {
        return given.containsKey(option);
    }

    /** The sample prompts: the {@code --sample_prompts} file, or the text a kohya_ss config holds; empty if none. */
    public List<SamplePrompt> samplePrompts(Path workDir) {
        if (sampling.samplePrompts() != null) {
            return SamplePrompts.read(workDir.resolve(sampling.samplePrompts()));
        }
        return inlineSamplePrompts == null ? List.of() : SamplePrompts.parseLines(inlineSamplePrompts);
    }

    /** The same arguments with the base model resolved to a file. */
    public TrainNetworkArgs withPretrainedModel(Path checkpoint) {
        ModelOptions m = model;
        return new TrainNetworkArgs(new ModelOptions(m.v2(), m.vParameterization(), checkpoint.toString(), m.tokenizerCacheDir(),
                m.maxTokenLength(), m.vae(), m.clipSkip(), m.noHalfVae()), dataset, network, networkArgs, optimizer, training,
                saving, sampling, logging, inlineSamplePrompts, given, notes);
    }
}
