package dev.bakehouse.node.train;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.DataType;
import dev.bakehouse.node.InputSpec.BooleanInput;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.OutputSpec;
import dev.bakehouse.train.config.DatasetOptions;
import dev.bakehouse.train.data.BadInputPolicy;
import dev.bakehouse.train.data.DreamBoothDataset;
import dev.bakehouse.train.run.TrainingSetup;
import java.nio.file.Path;

/**
 * {@code LoadDataset}: a kohya DreamBooth folder under {@code datasets/} ({@code N_name}
 * sub-folders: N repeats, images with captions beside them) as a DATASET value, with a summary of
 * what training will see: images, captions, repeats, buckets and every problem (unreadable images,
 * missing captions, images smaller than the smallest bucket). Reading the folder here (with
 * kohya's defaults and the problems skipped) shows the problems before anything trains;
 * TrainLoRA reads it again with its own options. The folder's files are the fingerprint, so an
 * added or edited image re-runs the node and everything after it.
 */
public final class LoadDataset implements Node {
    public static final String NAME = "LoadDataset";
    /** The outputs of every node that makes a DATASET from a folder (this one, ToyWorldDataset). */
    static final OutputSpec DATASET_OUTPUT = OutputSpec.of(DataType.DATASET).withTooltip("The dataset, for TrainLoRA.");
    static final OutputSpec SUMMARY_OUTPUT = OutputSpec.of(DataType.STRING, "summary")
            .withTooltip("Images, captions, repeats, buckets and problems found.");

    private final DataDirs dirs;
    private final NodeSpec spec;

    public LoadDataset(DataDirs dirs) {
        this.dirs = dirs;
        this.spec = NodeSpec.builder(NAME)
                .displayName("Load Dataset")
                .category("bakehouse/train")
                .description("A kohya-style dataset folder (N_name sub-folders: N repeats, images with caption files) "
                        + "from the datasets folder, for TrainLoRA.")
                .required(ComboInput.dynamic("dataset", () -> DatasetFolders.list(dirs))
                                .withTooltip("A folder under the data dir's datasets/ holding N_name sub-folders."),
                        StringInput.of("caption_extension", ".txt")
                                .withTooltip("kohya's caption_extension: the caption file beside each image."),
                        StringInput.of("resolution", "512")
                                .withTooltip("kohya's resolution: 512, or width,height such as 512,768."),
                        BooleanInput.of("enable_bucket", true)
                                .withTooltip("kohya's enable_bucket: group images by aspect ratio instead of cropping."))
                .output(LoadDataset.DATASET_OUTPUT)
                .output(LoadDataset.SUMMARY_OUTPUT)
                .build();
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public NodeResult execute(NodeInputs inputs, NodeContext ctx) {
        return read(dirs, NAME, inputs.getString("dataset"), inputs.getString("caption_extension"),
                inputs.getString("resolution").strip(), inputs.getBoolean("enable_bucket"));
    }

    /**
     * The DATASET and summary of folder {@code name} under {@code datasets/}, read as TrainLoRA will
     * read it (problems skipped and listed in the summary).
     *
     * @param node the node reading it, named in errors
     */
    public static NodeResult read(DataDirs dirs, String node, String name, String captionExtension, String resolution,
                           boolean enableBucket) {
        Path folder = DatasetFolders.resolve(dirs, name);
        String fingerprint = DatasetFolders.fingerprint(folder);
        DatasetValue partial = new DatasetValue(name, folder, captionExtension, resolution, enableBucket, fingerprint, "");
        DreamBoothDataset loaded;
        try {
            loaded = TrainingSetup.loadFolders(DatasetOptions.of(partial.kohyaOptions()), BadInputPolicy.SKIP);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node + " " + name + ": " + e.getMessage(), e);
        }
        String summary = DatasetSummary.of(name, loaded, resolution, enableBucket);
        return NodeResult.of(new DatasetValue(name, folder, captionExtension, resolution, enableBucket, fingerprint, summary),
                summary);
    }

    @Override
    public Object fingerprint(NodeInputs literalInputs) {
        return DatasetFolders.fingerprint(DatasetFolders.resolve(dirs, literalInputs.getString("dataset")));
    }
}
