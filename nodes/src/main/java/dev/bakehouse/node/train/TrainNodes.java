package dev.bakehouse.node.train;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.sd.ModelCache;
import java.util.List;
import java.util.function.Supplier;

/** The training nodes: LoadDataset and TrainLoRA. */
public final class TrainNodes {
    private TrainNodes() {}

    /**
     * Factories of the training nodes, for {@link dev.bakehouse.node.NodeRegistry#of}.
     *
     * @param cache the model cache the model nodes share (trained LoRAs are read through it)
     */
    public static List<Supplier<? extends Node>> all(DataDirs dirs, ModelCache cache) {
        return all(dirs, cache, new LiveTrainings());
    }

    /** @param live the live controls the server's routes reach the TrainLoRA runs through */
    public static List<Supplier<? extends Node>> all(DataDirs dirs, ModelCache cache, LiveTrainings live) {
        return List.of(() -> new LoadDataset(dirs), () -> new ToyWorldDataset(dirs), () -> new TrainLora(dirs, cache, live));
    }
}
