package dev.bakehouse.server.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Locale;

/** API prompt parts for training on the tiny model: what the TrainLoRA tests share. */
public final class TrainPrompts {
    private TrainPrompts() {}

    /**
     * Nodes {@code "4"} (CheckpointLoaderSimple, tiny), {@code "20"} (LoadDataset {@code kiki} at 64 px)
     * and {@code "21"} (TrainLoRA {@code kiki}: rank 4, batch 2, every epoch saved) as the body of a
     * prompt object, without braces, for a test to add its own nodes to.
     */
    public static String loadAndTrain(int maxTrainEpochs, boolean unetOnly, String kohyaArgs) {
        return String.format(Locale.ROOT, """
                "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "tiny.safetensors"}},
                "20": {"class_type": "LoadDataset", "inputs": {"dataset": "kiki", "caption_extension": ".txt",
                       "resolution": "64", "enable_bucket": false}},
                "21": {"class_type": "TrainLoRA", "inputs": {"model": ["4", 0], "clip": ["4", 1], "vae": ["4", 2],
                       "dataset": ["20", 0], "output_name": "kiki", "network_dim": 4, "network_alpha": 2.0,
                       "conv_dim": 0, "conv_alpha": 1.0, "learning_rate": 0.001, "unet_lr": 0.0, "text_encoder_lr": 0.0,
                       "optimizer_type": "AdamW", "lr_scheduler": "constant", "lr_warmup_steps": 0,
                       "max_train_epochs": %d, "max_train_steps": 0, "train_batch_size": 2, "save_every_n_epochs": 1,
                       "seed": 42, "network_train_unet_only": %s, "min_snr_gamma": 0.0, "noise_offset": 0.0,
                       "clip_skip": 1, "kohya_args": %s}}""", maxTrainEpochs, unetOnly,
                JsonNodeFactory.instance.textNode(kohyaArgs).toString());
    }

    /**
     * A whole train-then-test prompt: {@link #loadAndTrain} for one epoch (two steps), then
     * ApplyLoRA {@code "22"} of the trained LoRA, a 64 px KSampler {@code "3"} of two steps and
     * SaveImage {@code "9"} (prefix {@code trained}).
     */
    public static String trainThenSample(String kohyaArgs) {
        return "{" + loadAndTrain(1, false, kohyaArgs) + ",\n" + """
                 "22": {"class_type": "ApplyLoRA", "inputs": {"model": ["4", 0], "clip": ["4", 1], "lora": ["21", 0],
                        "strength_model": 1.0, "strength_clip": 1.0}},
                 "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
                 "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "kiki, ring", "clip": ["22", 1]}},
                 "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry", "clip": ["22", 1]}},
                 "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 2, "cfg": 7.0, "sampler_name": "euler",
                       "scheduler": "normal", "denoise": 1.0, "model": ["22", 0], "positive": ["6", 0],
                       "negative": ["7", 0], "latent_image": ["5", 0]}},
                 "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
                 "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "trained", "images": ["8", 0]}}}""";
    }
}
