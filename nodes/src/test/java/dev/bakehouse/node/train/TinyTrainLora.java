package dev.bakehouse.node.train;

import dev.bakehouse.node.sd.ModelNodesHarness;
import dev.bakehouse.testing.TinyDataset;
import java.util.HashMap;
import java.util.Map;

/**
 * TrainLoRA on the tiny fixture model with a generated dataset {@code kiki} of four 64x64 images
 * (batch 2: two steps per epoch): what the TrainLoRA node tests share.
 */
final class TinyTrainLora {
    private TinyTrainLora() {}

    /** Writes the dataset under the harness's {@code datasets/kiki} and loads it as LoadDataset does. */
    static DatasetValue dataset(ModelNodesHarness harness) throws Exception {
        TinyDataset.write(harness.dirs.datasets().resolve("kiki"), "1_kiki", 4);
        return (DatasetValue) new LoadDataset(harness.dirs).execute(ModelNodesHarness.inputs(LoadDataset.NAME,
                Map.of("dataset", "kiki", "caption_extension", ".txt", "resolution", "64", "enable_bucket", false)),
                harness.context()).outputs().get(0);
    }

    /** TrainLoRA's inputs: the tiny model, the dataset, two epochs of two steps, with some widgets replaced. */
    static Map<String, Object> inputs(ModelNodesHarness harness, DatasetValue dataset, Map<String, Object> changes)
            throws Exception {
        var loaded = harness.load().outputs();
        Map<String, Object> in = new HashMap<>(Map.ofEntries(Map.entry("model", loaded.get(0)),
                Map.entry("clip", loaded.get(1)), Map.entry("vae", loaded.get(2)),
                Map.entry("dataset", dataset), Map.entry("output_name", "kiki"), Map.entry("network_dim", 4),
                Map.entry("network_alpha", 2.0), Map.entry("conv_dim", 0), Map.entry("conv_alpha", 1.0),
                Map.entry("learning_rate", 1e-3), Map.entry("unet_lr", 0.0), Map.entry("text_encoder_lr", 0.0),
                Map.entry("optimizer_type", "AdamW"), Map.entry("lr_scheduler", "constant"), Map.entry("lr_warmup_steps", 0),
                Map.entry("max_train_epochs", 2), Map.entry("max_train_steps", 0), Map.entry("train_batch_size", 2),
                Map.entry("save_every_n_epochs", 1), Map.entry("seed", 42L), Map.entry("network_train_unet_only", false),
                Map.entry("min_snr_gamma", 0.0), Map.entry("noise_offset", 0.0), Map.entry("clip_skip", 1)));
        in.putAll(changes);
        return in;
    }
}
