package dev.bakehouse.node.train;

import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.train.config.KohyaArgsText;
import dev.bakehouse.train.config.TrainNetworkArgs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * TrainLoRA's inputs as one {@code train_network.py} configuration. The rule, lowest first: the
 * DATASET's options, the widgets, then everything {@code kohya_args} sets (a pasted script or
 * config is taken as the user's whole intent, so it wins over the widgets, and a note lists each
 * widget it overrode); last the graph's own facts, which nothing pasted can change: the base
 * checkpoint (MODEL), the dataset folder (DATASET) and the output folder
 * ({@code models/loras/<output_name>}).
 *
 * @param args  the checked configuration
 * @param given the options as merged, by kohya name (for the run id)
 * @param notes what the merge overrode or ignored, for the user
 */
record TrainLoraArgs(TrainNetworkArgs args, Map<String, Object> given, List<String> notes) {
    static final String KOHYA_ARGS = "kohya_args";

    /** Options the graph decides; kohya_args setting them is ignored with a note. */
    private static final Set<String> GRAPH_OWNED = Set.of("pretrained_model_name_or_path", "train_data_dir",
            "dataset_config", "output_dir", "resume");

    /**
     * @param outputDir the output folder of an output name (validated there)
     * @param resume    a state folder to continue from, or null
     * @throws IllegalArgumentException naming {@code kohya_args} or the option that is wrong
     */
    static TrainLoraArgs build(NodeInputs in, DatasetValue dataset, Path checkpoint, Function<String, Path> outputDir,
                               Path resume, boolean cuda) {
        Map<String, Object> widgets = new LinkedHashMap<>(dataset.kohyaOptions());
        widgets.putAll(TrainLoraWidgets.kohyaOptions(in));
        KohyaArgsText pasted;
        try {
            pasted = KohyaArgsText.parse(in.optional(KOHYA_ARGS, String.class).orElse(""), KOHYA_ARGS);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith(KOHYA_ARGS) ? e.getMessage()
                    : KOHYA_ARGS + ": " + e.getMessage(), e);
        }
        List<String> notes = new ArrayList<>(pasted.notes());
        Map<String, Object> given = new LinkedHashMap<>(widgets);
        pasted.given().forEach((option, value) -> {
            if (GRAPH_OWNED.contains(option)) {
                notes.add(KOHYA_ARGS + ": --" + option + " ignored: the graph sets it (MODEL, DATASET and output_name)");
                return;
            }
            Object widget = widgets.get(option);
            if (widget != null && !widget.equals(value)) {
                notes.add(KOHYA_ARGS + " sets " + option + "=" + value + " over the widget's " + widget);
            }
            given.put(option, value);
        });
        String outputName = String.valueOf(given.get(TrainLoraWidgets.OUTPUT_NAME));
        given.put("pretrained_model_name_or_path", checkpoint.toString());
        given.put("output_dir", outputDir.apply(outputName).toString());
        if (resume != null) {
            given.put("resume", resume.toString());
        }
        try {
            TrainNetworkArgs args = TrainNetworkArgs.of(given, notes, pasted.inlineSamplePrompts(), cuda);
            return new TrainLoraArgs(args, given, args.notes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TrainLoRA options"
                    + (pasted.format() == KohyaArgsText.Format.EMPTY ? "" : " (widgets + " + KOHYA_ARGS + ")") + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The options that decide what a run produces, in name order. Left out: where it resumes from
     * (a resumed run ends with the same files, bit for bit) and the absolute paths the graph sets,
     * whose contents the run id covers by the checkpoint's version and the dataset's fingerprint,
     * so a moved data dir does not train again.
     */
    Map<String, Object> identity() {
        Map<String, Object> id = new TreeMap<>(given);
        GRAPH_OWNED.forEach(id::remove);
        if (args.inlineSamplePrompts() != null) {
            id.put("(sample prompts)", args.inlineSamplePrompts());
        }
        return id;
    }
}
