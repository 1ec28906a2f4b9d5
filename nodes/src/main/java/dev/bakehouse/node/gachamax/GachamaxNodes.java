package dev.bakehouse.node.gachamax;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.Node;
import dev.bakehouse.node.sd.ModelCache;
import java.util.List;
import java.util.function.Supplier;

/** The GACHAMAX nodes. */
public final class GachamaxNodes {
    private GachamaxNodes() {}

    /** @param store where loops keep their state (the server's database) */
    public static List<Supplier<? extends Node>> all(DataDirs dirs, ModelCache cache, GachamaxStore store) {
        return List.of(() -> new GachamaxRoundNode(dirs, cache, store));
    }
}
