package dev.bakehouse.node;

import dev.bakehouse.node.gachamax.GachamaxNodes;
import dev.bakehouse.node.gachamax.GachamaxStore;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.ModelNodes;
import dev.bakehouse.node.sd.ModelSettings;
import dev.bakehouse.node.toy.ToyWorldScore;
import dev.bakehouse.node.train.LiveTrainings;
import dev.bakehouse.node.train.TrainNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every node type a Bakehouse server offers, in {@code /object_info} order: the basic nodes, the
 * Stable Diffusion nodes, the training nodes, then (given a store) the GACHAMAX nodes. The one
 * list the server and {@code bakehouse run} register.
 */
public final class AllNodes {
    private AllNodes() {}

    /**
     * @param cache loaded models, shared by all nodes of the registry (the caller closes it)
     */
    public static List<Supplier<? extends Node>> all(DataDirs dirs, ModelSettings settings, ModelCache cache) {
        return all(dirs, settings, cache, new LiveTrainings());
    }

    /**
     * @param live where the server's live training controls reach TrainLoRA runs
     */
    public static List<Supplier<? extends Node>> all(DataDirs dirs, ModelSettings settings, ModelCache cache,
                                                     LiveTrainings live) {
        List<Supplier<? extends Node>> all = new ArrayList<>(BasicNodes.all(dirs));
        all.addAll(ModelNodes.all(dirs, settings, cache));
        all.addAll(TrainNodes.all(dirs, cache, live));
        all.add(ToyWorldScore::new);
        return List.copyOf(all);
    }

    /**
     * {@link #all(DataDirs, ModelSettings, ModelCache)} and the GACHAMAX nodes, whose loops keep
     * their state in {@code gachamax}.
     */
    public static List<Supplier<? extends Node>> all(DataDirs dirs, ModelSettings settings, ModelCache cache,
                                                     GachamaxStore gachamax) {
        return all(dirs, settings, cache, new LiveTrainings(), gachamax);
    }

    /** Every node, with the server's live training controls and GACHAMAX store. */
    public static List<Supplier<? extends Node>> all(DataDirs dirs, ModelSettings settings, ModelCache cache,
                                                     LiveTrainings live, GachamaxStore gachamax) {
        List<Supplier<? extends Node>> all = new ArrayList<>(all(dirs, settings, cache, live));
        all.addAll(GachamaxNodes.all(dirs, cache, gachamax));
        return List.copyOf(all);
    }

    /** The registry of every node, with its own model cache. */
    public static NodeRegistry registry(DataDirs dirs, ModelSettings settings) {
        return NodeRegistry.of(all(dirs, settings, new ModelCache(settings.device(), settings.maxCheckpoints())));
    }
}
