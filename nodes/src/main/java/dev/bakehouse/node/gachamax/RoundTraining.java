package dev.bakehouse.node.gachamax;

import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.InputSpec;
import dev.bakehouse.node.NodeContext;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.NodeSpec;
import dev.bakehouse.node.lora.LoraValue;
import dev.bakehouse.node.sd.FileVersion;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.train.DatasetValue;
import dev.bakehouse.node.train.TrainLora;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a round's LoRA with TrainLoRA itself (same options, files, logs, reuse and resume: a
 * round re-run after a crash continues its training from the saved state), then writes the
 * lineage copy under {@code models/loras/gachamax/<loop>/}, which the loop uses from then on.
 */
final class RoundTraining {
    /** A trained round: the lineage copy, its {@code sshs_model_hash} and the optimizer steps. */
    record Trained(LoraValue lora, String hash, long steps) {}

    private final DataDirs dirs;
    private final ModelCache cache;
    private final TrainLora trainer;

    RoundTraining(DataDirs dirs, ModelCache cache) {
        this.dirs = dirs;
        this.cache = cache;
        this.trainer = new TrainLora(dirs, cache);
    }

    Trained train(RoundSettings s, RoundRunner.Views views, DatasetValue version, LoraLineage lineage, NodeContext ctx)
            throws IOException {
        Map<String, Object> in = defaults(trainer.spec());
        in.putAll(s.training());
        in.put("model", views.model());
        in.put("clip", views.clip());
        in.put("vae", views.vae());
        in.put("dataset", version);
        in.put("output_name", "gachamax-" + s.loop() + "-r" + lineage.round());
        in.put("save_every_n_epochs", 0L);
        // kohya's --seed is a 32-bit int
        in.put("seed", Math.floorMod(s.seed() + lineage.round() - 1, 1L << 31));
        NodeResult result = trainer.execute(new NodeInputs(TrainLora.NAME + " (" + GachamaxRoundNode.NAME + ")", in), ctx);
        List<?> saved = (List<?>) result.outputs().get(0);
        LoraValue last = (LoraValue) saved.get(saved.size() - 1);
        String steps = last.network().metadata().get("ss_steps");
        if (steps == null) {
            throw new IllegalStateException(GachamaxRoundNode.NAME + ": the trained LoRA " + last.file()
                    + " has no ss_steps metadata");
        }
        String name = "gachamax/" + s.loop() + "/" + s.loop() + "-r" + lineage.round() + ".safetensors";
        Path target = dirs.models(DataDirs.LORAS).resolve(name);
        Files.createDirectories(target.getParent());
        String hash = lineage.writeCopy(last.file(), target);
        return new Trained(new LoraValue(name, target, cache.lora(FileVersion.of(target))), hash, Long.parseLong(steps));
    }

    /** A node's widget defaults as the executor would pass them (INT as Long, FLOAT as Double). */
    static Map<String, Object> defaults(NodeSpec spec) {
        Map<String, Object> values = new HashMap<>();
        for (InputSpec input : spec.inputs()) {
            Object value = null;
            if (input instanceof InputSpec.IntInput i) {
                value = i.defaultValue().longValue();
            } else if (input instanceof InputSpec.FloatInput f) {
                value = f.defaultValue();
            } else if (input instanceof InputSpec.StringInput t) {
                value = t.defaultValue();
            } else if (input instanceof InputSpec.BooleanInput b) {
                value = b.defaultValue();
            } else if (input instanceof InputSpec.ComboInput c) {
                value = c.defaultValue() != null ? c.defaultValue() : c.currentOptions().get(0);
            }
            if (value != null) {
                values.put(input.name(), value);
            }
        }
        return values;
    }
}
