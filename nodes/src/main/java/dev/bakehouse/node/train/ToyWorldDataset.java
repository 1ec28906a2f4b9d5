package dev.bakehouse.node.train;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.toy.world.Captions;
import dev.bakehouse.toy.world.KohyaDatasetWriter;
import dev.bakehouse.toy.world.SceneKind;
import dev.bakehouse.toy.world.WorldGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code ToyWorldDataset}: a kohya dataset of generated toy-world scenes (kiki, the held-in
 * shapes, or anything), written once under {@code datasets/} and then read like
 * {@link LoadDataset} — the dataset the toy model's train-then-test workflow and the GACHAMAX loop
 * start from when no one has images at hand. The scenes are a function of the inputs, so the same
 * inputs find the folder already written and reuse it.
 */
public final class ToyWorldDataset implements Node {
    public static final String NAME = "ToyWorldDataset";
    static final List<String> SCENES = List.of("kiki", "held-in", "any");

    private final DataDirs dirs;
    private final NodeSpec spec;

    public ToyWorldDataset(DataDirs dirs) {
        this.dirs = dirs;
        this.spec = NodeSpec.builder(NAME)
                .displayName("Toy World Dataset")
                .category("bakehouse/train")
                .description("Generated toy-world images with booru captions as a kohya dataset (written once under "
                        + "datasets/, then reused): kiki (the held-out character, trigger word 'kiki'), held-in "
                        + "scenes, or any scene.")
                .required(ComboInput.of("scenes", SCENES).withTooltip("kiki: every image shows kiki and its caption "
                                + "starts with the trigger; held-in: the shapes the toy model was pretrained on; any: both."),
                        IntInput.of("count", 20, 1, 9999).withTooltip("Number of images."),
                        IntInput.of("repeats", 10, 1, 1000).withTooltip("kohya repeats: the N of the N_name folder."),
                        IntInput.of("seed", 0, 0, Integer.MAX_VALUE).withoutControlAfterGenerate().withTooltip("Image i is drawn from seed + i."))
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
        String scenes = inputs.getString("scenes");
        int count = inputs.getInt("count");
        int repeats = inputs.getInt("repeats");
        long seed = inputs.getLong("seed");
        String name = folderName(scenes, count, repeats, seed);
        Path folder = dirs.datasets().resolve(name);
        String concept = scenes.equals("kiki") ? Captions.KIKI : scenes.replace("-", "_");
        if (!Files.isDirectory(folder.resolve(repeats + "_" + concept))) {
            try {
                new KohyaDatasetWriter(new WorldGenerator()).write(folder, concept, repeats, count, seed, kind(scenes));
            } catch (IOException e) {
                throw new UncheckedIOException(NAME + ": cannot write " + folder + ": " + e.getMessage(), e);
            }
        }
        return LoadDataset.read(dirs, NAME, name, ".txt", Integer.toString(WorldGenerator.DEFAULT_RESOLUTION), false);
    }

    /** {@code toy-kiki-20x10-s0}: what the folder holds, so other inputs never reuse it. */
    static String folderName(String scenes, int count, int repeats, long seed) {
        return String.format(Locale.ROOT, "toy-%s-%dx%d-s%d", scenes, count, repeats, seed);
    }

    private static SceneKind kind(String scenes) {
        return switch (scenes) {
            case "kiki" -> SceneKind.KIKI;
            case "held-in" -> SceneKind.PRETRAINING;
            case "any" -> SceneKind.ANY;
            default -> throw new IllegalArgumentException(NAME + ": scenes must be one of " + SCENES + ", got '" + scenes + "'");
        };
    }
}
