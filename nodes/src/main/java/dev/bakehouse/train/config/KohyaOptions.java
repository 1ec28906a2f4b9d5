package dev.bakehouse.train.config;

import static dev.bakehouse.train.config.OptionSpec.USED;
import static dev.bakehouse.train.config.OptionSpec.ignored;
import static dev.bakehouse.train.config.OptionSpec.refused;

import dev.bakehouse.train.config.OptionSpec.Group;
import dev.bakehouse.train.config.OptionSpec.ValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every option {@code train_network.py} accepts at sd-scripts 48d368fa, in the order its
 * {@code setup_parser} adds them, with kohya's name, type, default, choices and nargs (extracted from
 * the argparse declarations, so the table can be checked against a newer sd-scripts the same way),
 * plus {@code --cache_text_encoder_outputs(_to_disk)} from {@code sdxl_train_network.py}.
 *
 * <p>The status column is Bakehouse's: which options are refused until they are built, and which are
 * accepted with a note because they mean nothing here. Options whose refusal depends on the value
 * ({@code --network_module}, {@code --mixed_precision bf16}, ...) are checked by {@link TrainNetworkChecks}.
 * This file is long because it is one table.
 */
public final class KohyaOptions {
    private KohyaOptions() {}

    /** Every option, in kohya's order. */
    public static final List<OptionSpec> ALL = List.of(
            new OptionSpec("console_log_level", Group.LOGGING, ValueType.STRING, false, null, List.of("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), ignored("Bakehouse logs through slf4j; set -Dorg.slf4j.simpleLogger.defaultLogLevel instead"), ""),
            new OptionSpec("console_log_file", Group.LOGGING, ValueType.STRING, false, null, List.of(), ignored("Bakehouse logs through slf4j to stderr; redirect it instead"), ""),
            new OptionSpec("console_log_simple", Group.LOGGING, ValueType.FLAG, false, false, List.of(), ignored("Bakehouse logs through slf4j in its own format"), ""),
            new OptionSpec("v2", Group.MODEL, ValueType.FLAG, false, false, List.of(), refused("SD2.x checkpoints are detected but their OpenCLIP text encoder is not built yet; train SD1.x checkpoints"), ""),
            new OptionSpec("v_parameterization", Group.MODEL, ValueType.FLAG, false, false, List.of(), USED, "train with v-prediction loss"),
            new OptionSpec("pretrained_model_name_or_path", Group.MODEL, ValueType.STRING, false, null, List.of(), USED, "base checkpoint: a file path, or a checkpoint name from the data dirs (models/checkpoints)"),
            new OptionSpec("tokenizer_cache_dir", Group.MODEL, ValueType.STRING, false, null, List.of(), ignored("the CLIP tokenizer is found by --clip-tokenizer (see bakehouse --help)"), ""),
            new OptionSpec("metadata_title", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "model-spec metadata: title"),
            new OptionSpec("metadata_author", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "model-spec metadata: author"),
            new OptionSpec("metadata_description", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "model-spec metadata: description"),
            new OptionSpec("metadata_license", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "model-spec metadata: license"),
            new OptionSpec("metadata_tags", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "model-spec metadata: tags"),
            new OptionSpec("metadata_usage_hint", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "model-spec metadata: usage hint"),
            new OptionSpec("metadata_thumbnail", Group.SAVING, ValueType.STRING, false, null, List.of(), refused("thumbnails in model-spec metadata are not built yet"), ""),
            new OptionSpec("metadata_merged_from", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "model-spec metadata: merged from"),
            new OptionSpec("metadata_trigger_phrase", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "model-spec metadata: trigger phrase"),
            new OptionSpec("metadata_preprocessor", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "model-spec metadata: preprocessor"),
            new OptionSpec("metadata_is_negative_embedding", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "model-spec metadata: is negative embedding"),
            new OptionSpec("train_data_dir", Group.DATASET, ValueType.STRING, false, null, List.of(), USED, "folder holding N_name sub-folders (N = repeats)"),
            new OptionSpec("cache_info", Group.DATASET, ValueType.FLAG, false, false, List.of(), ignored("the dataset is scanned on every start; there is no metadata cache file"), ""),
            new OptionSpec("shuffle_caption", Group.DATASET, ValueType.FLAG, false, false, List.of(), USED, "shuffle comma-separated caption tags"),
            new OptionSpec("caption_separator", Group.DATASET, ValueType.STRING, false, ",", List.of(), USED, "tag separator in captions"),
            new OptionSpec("caption_extension", Group.DATASET, ValueType.STRING, false, ".caption", List.of(), USED, "caption file extension"),
            new OptionSpec("caption_extention", Group.DATASET, ValueType.STRING, false, null, List.of(), USED, "old misspelling of caption_extension"),
            new OptionSpec("keep_tokens", Group.DATASET, ValueType.INT, false, 0, List.of(), USED, "tags kept in front when shuffling"),
            new OptionSpec("keep_tokens_separator", Group.DATASET, ValueType.STRING, false, "", List.of(), USED, "tags before this separator are kept in front"),
            new OptionSpec("secondary_separator", Group.DATASET, ValueType.STRING, false, null, List.of(), USED, "a separator inside tags, replaced by caption_separator after shuffling"),
            new OptionSpec("enable_wildcard", Group.DATASET, ValueType.FLAG, false, false, List.of(), USED, "{a|b} wildcards and multi-line captions (one line drawn per sample)"),
            new OptionSpec("caption_prefix", Group.DATASET, ValueType.STRING, false, null, List.of(), USED, "text put before every caption"),
            new OptionSpec("caption_suffix", Group.DATASET, ValueType.STRING, false, null, List.of(), USED, "text put after every caption"),
            new OptionSpec("color_aug", Group.DATASET, ValueType.FLAG, false, false, List.of(), USED, "random hue augmentation (not with cache_latents)"),
            new OptionSpec("flip_aug", Group.DATASET, ValueType.FLAG, false, false, List.of(), USED, "random horizontal flips"),
            new OptionSpec("face_crop_aug_range", Group.DATASET, ValueType.STRING, false, null, List.of(), USED, "face-centred crop range LOW,HIGH"),
            new OptionSpec("random_crop", Group.DATASET, ValueType.FLAG, false, false, List.of(), USED, "random crops (not with cache_latents)"),
            new OptionSpec("debug_dataset", Group.DATASET, ValueType.FLAG, false, false, List.of(), ignored("use the LoadDataset node to inspect a dataset"), ""),
            new OptionSpec("resolution", Group.DATASET, ValueType.STRING, false, null, List.of(), USED, "training resolution, SIZE or WIDTH,HEIGHT"),
            new OptionSpec("cache_latents", Group.DATASET, ValueType.FLAG, false, false, List.of(), USED, "encode images once and keep the latents"),
            new OptionSpec("vae_batch_size", Group.DATASET, ValueType.INT, false, 1, List.of(), USED, "batch size when caching latents"),
            new OptionSpec("cache_latents_to_disk", Group.DATASET, ValueType.FLAG, false, false, List.of(), USED, "keep cached latents on disk too (implies cache_latents)"),
            new OptionSpec("skip_cache_check", Group.DATASET, ValueType.FLAG, false, false, List.of(), ignored("cached latents are keyed by image content and VAE, so there is nothing to re-validate"), ""),
            new OptionSpec("enable_bucket", Group.DATASET, ValueType.FLAG, false, false, List.of(), USED, "aspect-ratio buckets"),
            new OptionSpec("min_bucket_reso", Group.DATASET, ValueType.INT, false, 256, List.of(), USED, "smallest bucket side"),
            new OptionSpec("max_bucket_reso", Group.DATASET, ValueType.INT, false, 1024, List.of(), USED, "largest bucket side"),
            new OptionSpec("bucket_reso_steps", Group.DATASET, ValueType.INT, false, 64, List.of(), USED, "bucket side step"),
            new OptionSpec("bucket_no_upscale", Group.DATASET, ValueType.FLAG, false, false, List.of(), USED, "never upscale images into a bucket"),
            new OptionSpec("resize_interpolation", Group.DATASET, ValueType.STRING, false, null, List.of("lanczos", "nearest", "bilinear", "linear", "bicubic", "cubic", "area"), refused("images are resized with the dataset loader's one fixed filter; choosing it is not built yet"), ""),
            new OptionSpec("token_warmup_min", Group.DATASET, ValueType.INT, false, 1, List.of(), USED, "tags used at step 0 of the token warm-up"),
            new OptionSpec("token_warmup_step", Group.DATASET, ValueType.FLOAT, false, 0.0d, List.of(), USED, "steps (or a fraction of max_train_steps) until every tag is used"),
            new OptionSpec("alpha_mask", Group.DATASET, ValueType.FLAG, false, false, List.of(), USED, "masked loss from each image's alpha channel (transparent pixels are not learned)"),
            new OptionSpec("dataset_class", Group.DATASET, ValueType.STRING, false, null, List.of(), refused("custom Python dataset classes cannot run here; use train_data_dir or dataset_config"), ""),
            new OptionSpec("caption_dropout_rate", Group.DATASET, ValueType.FLOAT, false, 0.0d, List.of(), USED, "chance of training a sample with an empty caption"),
            new OptionSpec("caption_dropout_every_n_epochs", Group.DATASET, ValueType.INT, false, 0, List.of(), USED, "train every Nth epoch with empty captions"),
            new OptionSpec("caption_tag_dropout_rate", Group.DATASET, ValueType.FLOAT, false, 0.0d, List.of(), USED, "chance of dropping each tag"),
            new OptionSpec("reg_data_dir", Group.DATASET, ValueType.STRING, false, null, List.of(), USED, "regularization images, N_name sub-folders"),
            new OptionSpec("in_json", Group.DATASET, ValueType.STRING, false, null, List.of(), refused("fine-tuning-style metadata datasets (fine_tune.py) are not built; use train_data_dir with N_name folders or dataset_config"), ""),
            new OptionSpec("dataset_repeats", Group.DATASET, ValueType.INT, false, 1, List.of(), refused("only used with in_json, which is not built; set repeats with N_name folders or num_repeats in dataset_config"), ""),
            new OptionSpec("output_dir", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "where LoRA files go"),
            new OptionSpec("output_name", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "LoRA file name without extension"),
            new OptionSpec("huggingface_repo_id", Group.SAVING, ValueType.STRING, false, null, List.of(), refused("uploading to Hugging Face is not built; files stay in output_dir"), ""),
            new OptionSpec("huggingface_repo_type", Group.SAVING, ValueType.STRING, false, null, List.of(), ignored("nothing is uploaded; files stay in output_dir"), ""),
            new OptionSpec("huggingface_path_in_repo", Group.SAVING, ValueType.STRING, false, null, List.of(), ignored("nothing is uploaded; files stay in output_dir"), ""),
            new OptionSpec("huggingface_token", Group.SAVING, ValueType.STRING, false, null, List.of(), ignored("nothing is uploaded; files stay in output_dir"), ""),
            new OptionSpec("huggingface_repo_visibility", Group.SAVING, ValueType.STRING, false, null, List.of(), ignored("nothing is uploaded; files stay in output_dir"), ""),
            new OptionSpec("save_state_to_huggingface", Group.SAVING, ValueType.FLAG, false, false, List.of(), refused("uploading to Hugging Face is not built; states stay in output_dir"), ""),
            new OptionSpec("resume_from_huggingface", Group.SAVING, ValueType.FLAG, false, false, List.of(), refused("resuming from Hugging Face is not built; give a local state folder to --resume"), ""),
            new OptionSpec("async_upload", Group.SAVING, ValueType.FLAG, false, false, List.of(), ignored("nothing is uploaded; files stay in output_dir"), ""),
            new OptionSpec("save_precision", Group.SAVING, ValueType.STRING, false, null, List.of("float", "fp16", "bf16"), USED, "dtype of saved weights"),
            new OptionSpec("save_every_n_epochs", Group.SAVING, ValueType.INT, false, null, List.of(), USED, "save a LoRA every N epochs"),
            new OptionSpec("save_every_n_steps", Group.SAVING, ValueType.INT, false, null, List.of(), USED, "save a LoRA every N steps"),
            new OptionSpec("save_n_epoch_ratio", Group.SAVING, ValueType.INT, false, null, List.of(), refused("not built yet; use save_every_n_epochs"), ""),
            new OptionSpec("save_last_n_epochs", Group.SAVING, ValueType.INT, false, null, List.of(), USED, "keep only the last N epoch files"),
            new OptionSpec("save_last_n_epochs_state", Group.SAVING, ValueType.INT, false, null, List.of(), USED, "keep only the last N epoch states"),
            new OptionSpec("save_last_n_steps", Group.SAVING, ValueType.INT, false, null, List.of(), USED, "keep only the step files of the last N steps"),
            new OptionSpec("save_last_n_steps_state", Group.SAVING, ValueType.INT, false, null, List.of(), USED, "keep only the state folders of the last N steps"),
            new OptionSpec("save_state", Group.SAVING, ValueType.FLAG, false, false, List.of(), USED, "save optimizer state with each save"),
            new OptionSpec("save_state_on_train_end", Group.SAVING, ValueType.FLAG, false, false, List.of(), USED, "save a state at the end"),
            new OptionSpec("resume", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "state folder to resume from, or auto"),
            new OptionSpec("train_batch_size", Group.DATASET, ValueType.INT, false, 1, List.of(), USED, "images per step"),
            new OptionSpec("max_token_length", Group.MODEL, ValueType.INT, false, null, List.of("150", "225"), USED, "caption length in tokens: 75 (default), 150 or 225 (chunked encoding)"),
            new OptionSpec("mem_eff_attn", Group.TRAINING, ValueType.FLAG, false, false, List.of(), ignored("attention always runs as PyTorch scaled-dot-product ops through DJL"), ""),
            new OptionSpec("torch_compile", Group.TRAINING, ValueType.FLAG, false, false, List.of(), ignored("DJL runs eager PyTorch ops; there is no torch.compile"), ""),
            new OptionSpec("dynamo_backend", Group.TRAINING, ValueType.STRING, false, "inductor", List.of("eager", "aot_eager", "inductor", "aot_ts_nvfuser", "nvprims_nvfuser", "cudagraphs", "ofi", "fx2trt", "onnxrt", "tensort", "ipex", "tvm"), ignored("DJL runs eager PyTorch ops; there is no torch.compile"), ""),
            new OptionSpec("xformers", Group.TRAINING, ValueType.FLAG, false, false, List.of(), ignored("attention runs as PyTorch scaled-dot-product ops through DJL; no xformers here"), ""),
            new OptionSpec("sdpa", Group.TRAINING, ValueType.FLAG, false, false, List.of(), ignored("attention always runs as PyTorch scaled-dot-product ops through DJL"), ""),
            new OptionSpec("vae", Group.MODEL, ValueType.STRING, false, null, List.of(), USED, "VAE file to use instead of the checkpoint's"),
            new OptionSpec("max_train_steps", Group.TRAINING, ValueType.INT, false, 1600, List.of(), USED, "steps to train (default 1600)"),
            new OptionSpec("max_train_epochs", Group.TRAINING, ValueType.INT, false, null, List.of(), USED, "epochs to train (overrides max_train_steps)"),
            new OptionSpec("max_data_loader_n_workers", Group.DATASET, ValueType.INT, false, 8, List.of(), ignored("images are decoded by Bakehouse's own loader threads"), ""),
            new OptionSpec("persistent_data_loader_workers", Group.DATASET, ValueType.FLAG, false, false, List.of(), ignored("the data loader lives for the whole run anyway"), ""),
            new OptionSpec("seed", Group.TRAINING, ValueType.INT, false, null, List.of(), USED, "random seed"),
            new OptionSpec("gradient_checkpointing", Group.TRAINING, ValueType.FLAG, false, false, List.of(), USED, "recompute activations to save memory"),
            new OptionSpec("gradient_accumulation_steps", Group.TRAINING, ValueType.INT, false, 1, List.of(), USED, "steps to accumulate before an update"),
            new OptionSpec("mixed_precision", Group.TRAINING, ValueType.STRING, false, "no", List.of("no", "fp16", "bf16"), USED, "no, fp16 (CUDA with loss scaling; fp32 on CPU) or bf16 (refused)"),
            new OptionSpec("full_fp16", Group.TRAINING, ValueType.FLAG, false, false, List.of(), USED, "fp16 LoRA weights and gradients (needs mixed_precision fp16)"),
            new OptionSpec("full_bf16", Group.TRAINING, ValueType.FLAG, false, false, List.of(), refused("this DJL build aborts on bf16 tensors"), ""),
            new OptionSpec("fp8_base", Group.TRAINING, ValueType.FLAG, false, false, List.of(), refused("fp8 base weights are not built"), ""),
            new OptionSpec("ddp_timeout", Group.TRAINING, ValueType.INT, false, null, List.of(), ignored("one process drives one device; there is no DDP"), ""),
            new OptionSpec("ddp_gradient_as_bucket_view", Group.TRAINING, ValueType.FLAG, false, false, List.of(), ignored("one process drives one device; there is no DDP"), ""),
            new OptionSpec("ddp_static_graph", Group.TRAINING, ValueType.FLAG, false, false, List.of(), ignored("one process drives one device; there is no DDP"), ""),
            new OptionSpec("clip_skip", Group.MODEL, ValueType.INT, false, null, List.of(), USED, "use the output of the n-th last CLIP layer (2 for NAI-style models)"),
            new OptionSpec("logging_dir", Group.LOGGING, ValueType.STRING, false, null, List.of(), USED, "where the CSV log and loss chart go"),
            new OptionSpec("log_with", Group.LOGGING, ValueType.STRING, false, null, List.of("tensorboard", "wandb", "all"), refused("TensorBoard and wandb are not built; a CSV log and a PNG loss chart are written to logging_dir"), ""),
            new OptionSpec("log_prefix", Group.LOGGING, ValueType.STRING, false, null, List.of(), ignored("the CSV log is named after output_name"), ""),
            new OptionSpec("log_tracker_name", Group.LOGGING, ValueType.STRING, false, null, List.of(), ignored("no tracker: a CSV log and a PNG loss chart are written instead"), ""),
            new OptionSpec("wandb_run_name", Group.LOGGING, ValueType.STRING, false, null, List.of(), ignored("no tracker: a CSV log and a PNG loss chart are written instead"), ""),
            new OptionSpec("log_tracker_config", Group.LOGGING, ValueType.STRING, false, null, List.of(), ignored("no tracker: a CSV log and a PNG loss chart are written instead"), ""),
            new OptionSpec("wandb_api_key", Group.LOGGING, ValueType.STRING, false, null, List.of(), ignored("no tracker: a CSV log and a PNG loss chart are written instead"), ""),
            new OptionSpec("log_config", Group.LOGGING, ValueType.FLAG, false, false, List.of(), ignored("the full configuration is always written next to the CSV log"), ""),
            new OptionSpec("noise_offset", Group.TRAINING, ValueType.FLOAT, false, null, List.of(), USED, "noise offset"),
            new OptionSpec("noise_offset_random_strength", Group.TRAINING, ValueType.FLAG, false, false, List.of(), USED, "noise_offset times U(0,1) per step"),
            new OptionSpec("multires_noise_iterations", Group.TRAINING, ValueType.INT, false, null, List.of(), USED, "multi-resolution noise iterations"),
            new OptionSpec("ip_noise_gamma", Group.TRAINING, ValueType.FLOAT, false, null, List.of(), USED, "input perturbation noise"),
            new OptionSpec("ip_noise_gamma_random_strength", Group.TRAINING, ValueType.FLAG, false, false, List.of(), USED, "ip_noise_gamma times U(0,1) per step"),
            new OptionSpec("multires_noise_discount", Group.TRAINING, ValueType.FLOAT, false, 0.3d, List.of(), USED, "multi-resolution noise discount"),
            new OptionSpec("adaptive_noise_scale", Group.TRAINING, ValueType.FLOAT, false, null, List.of(), USED, "noise offset scaled by latent mean (needs noise_offset)"),
            new OptionSpec("zero_terminal_snr", Group.TRAINING, ValueType.FLAG, false, false, List.of(), USED, "rescale the noise schedule to zero terminal SNR (use with --v_parameterization)"),
            new OptionSpec("min_timestep", Group.TRAINING, ValueType.INT, false, null, List.of(), USED, "smallest timestep sampled"),
            new OptionSpec("max_timestep", Group.TRAINING, ValueType.INT, false, null, List.of(), USED, "largest timestep sampled (exclusive)"),
            new OptionSpec("loss_type", Group.TRAINING, ValueType.STRING, false, "l2", List.of("l1", "l2", "huber", "smooth_l1"), USED, "loss function"),
            new OptionSpec("huber_schedule", Group.TRAINING, ValueType.STRING, false, "snr", List.of("constant", "exponential", "snr"), USED, "huber_c schedule over timesteps"),
            new OptionSpec("huber_c", Group.TRAINING, ValueType.FLOAT, false, 0.1d, List.of(), USED, "huber threshold"),
            new OptionSpec("huber_scale", Group.TRAINING, ValueType.FLOAT, false, 1.0d, List.of(), USED, "huber threshold scale"),
            new OptionSpec("lowram", Group.TRAINING, ValueType.FLAG, false, false, List.of(), ignored("checkpoints are read by memory-mapping the file; there is no separate low-RAM path"), ""),
            new OptionSpec("highvram", Group.TRAINING, ValueType.FLAG, false, false, List.of(), ignored("Bakehouse keeps the model on the --device it was started with"), ""),
            new OptionSpec("sample_every_n_steps", Group.SAMPLING, ValueType.INT, false, null, List.of(), USED, "sample every N steps"),
            new OptionSpec("sample_at_first", Group.SAMPLING, ValueType.FLAG, false, false, List.of(), refused("sampling before the first step is not built yet; use sample_every_n_steps"), ""),
            new OptionSpec("sample_every_n_epochs", Group.SAMPLING, ValueType.INT, false, null, List.of(), USED, "sample every N epochs"),
            new OptionSpec("sample_prompts", Group.SAMPLING, ValueType.STRING, false, null, List.of(), USED, "prompt file (.txt with --n --w --h --d --l --s, .toml or .json)"),
            new OptionSpec("sample_sampler", Group.SAMPLING, ValueType.STRING, false, "ddim", List.of("ddim", "pndm", "lms", "euler", "euler_a", "heun", "dpm_2", "dpm_2_a", "dpmsolver", "dpmsolver++", "dpmsingle", "k_lms", "k_euler", "k_euler_a", "k_dpm_2", "k_dpm_2_a"), USED, "sampler for samples"),
            new OptionSpec("config_file", Group.LOGGING, ValueType.STRING, false, null, List.of(), USED, "TOML (kohya) or JSON (kohya_ss GUI) config; command-line options win"),
            new OptionSpec("output_config", Group.LOGGING, ValueType.FLAG, false, false, List.of(), refused("writing the options back to a TOML file is not built yet"), "write the options to --config_file as TOML and stop"),
            new OptionSpec("prior_loss_weight", Group.DATASET, ValueType.FLOAT, false, 1.0d, List.of(), USED, "loss weight of regularization images"),
            new OptionSpec("conditioning_data_dir", Group.DATASET, ValueType.STRING, false, null, List.of(), USED, "folder of mask images named as the training images (red channel: 255 = learn, 0 = ignore), with --masked_loss"),
            new OptionSpec("masked_loss", Group.DATASET, ValueType.FLAG, false, false, List.of(), USED, "weight the loss by a mask (--conditioning_data_dir or --alpha_mask)"),
            new OptionSpec("deepspeed", Group.TRAINING, ValueType.FLAG, false, false, List.of(), refused("DeepSpeed is not used; one process drives one device"), ""),
            new OptionSpec("zero_stage", Group.TRAINING, ValueType.INT, false, 2, List.of("0", "1", "2", "3"), ignored("DeepSpeed is not used; one process drives one device"), ""),
            new OptionSpec("offload_optimizer_device", Group.TRAINING, ValueType.STRING, false, null, List.of("cpu", "nvme"), ignored("DeepSpeed is not used; one process drives one device"), ""),
            new OptionSpec("offload_optimizer_nvme_path", Group.TRAINING, ValueType.STRING, false, null, List.of(), ignored("DeepSpeed is not used; one process drives one device"), ""),
            new OptionSpec("offload_param_device", Group.TRAINING, ValueType.STRING, false, null, List.of("cpu", "nvme"), ignored("DeepSpeed is not used; one process drives one device"), ""),
            new OptionSpec("offload_param_nvme_path", Group.TRAINING, ValueType.STRING, false, null, List.of(), ignored("DeepSpeed is not used; one process drives one device"), ""),
            new OptionSpec("zero3_init_flag", Group.TRAINING, ValueType.FLAG, false, false, List.of(), ignored("DeepSpeed is not used; one process drives one device"), ""),
            new OptionSpec("zero3_save_16bit_model", Group.TRAINING, ValueType.FLAG, false, false, List.of(), ignored("DeepSpeed is not used; one process drives one device"), ""),
            new OptionSpec("fp16_master_weights_and_gradients", Group.TRAINING, ValueType.FLAG, false, false, List.of(), ignored("DeepSpeed is not used; LoRA weights are kept in fp32"), ""),
            new OptionSpec("optimizer_type", Group.OPTIMIZER, ValueType.STRING, false, "", List.of(), USED, "AdamW, AdamW8bit, Lion, Lion8bit, SGDNesterov, SGDNesterov8bit, AdaFactor, DAdaptAdam, DAdaptLion, DAdaptation, Prodigy"),
            new OptionSpec("use_8bit_adam", Group.OPTIMIZER, ValueType.FLAG, false, false, List.of(), USED, "old spelling of --optimizer_type AdamW8bit"),
            new OptionSpec("use_lion_optimizer", Group.OPTIMIZER, ValueType.FLAG, false, false, List.of(), USED, "old spelling of --optimizer_type Lion"),
            new OptionSpec("learning_rate", Group.OPTIMIZER, ValueType.FLOAT, false, 2e-06d, List.of(), USED, "base learning rate"),
            new OptionSpec("max_grad_norm", Group.OPTIMIZER, ValueType.FLOAT, false, 1.0d, List.of(), USED, "gradient clipping norm (0 = off)"),
            new OptionSpec("optimizer_args", Group.OPTIMIZER, ValueType.STRING, true, null, List.of(), USED, "KEY=VALUE ... for the optimizer"),
            new OptionSpec("lr_scheduler_type", Group.OPTIMIZER, ValueType.STRING, false, "", List.of(), refused("custom Python scheduler classes cannot run here; use --lr_scheduler"), ""),
            new OptionSpec("lr_scheduler_args", Group.OPTIMIZER, ValueType.STRING, true, null, List.of(), refused("arguments of custom Python scheduler classes cannot apply here"), ""),
            new OptionSpec("lr_scheduler", Group.OPTIMIZER, ValueType.STRING, false, "constant", List.of(), USED, "constant, constant_with_warmup, linear, cosine, cosine_with_restarts, polynomial, adafactor"),
            new OptionSpec("lr_warmup_steps", Group.OPTIMIZER, ValueType.INT_OR_FLOAT, false, 0, List.of(), USED, "warm-up steps, or a ratio below 1 of all steps"),
            new OptionSpec("lr_decay_steps", Group.OPTIMIZER, ValueType.INT_OR_FLOAT, false, 0, List.of(), refused("warmup-stable-decay schedules are not built; see --lr_scheduler for the built ones"), ""),
            new OptionSpec("lr_scheduler_num_cycles", Group.OPTIMIZER, ValueType.INT, false, 1, List.of(), USED, "restarts of cosine_with_restarts"),
            new OptionSpec("lr_scheduler_power", Group.OPTIMIZER, ValueType.FLOAT, false, 1.0d, List.of(), USED, "power of polynomial"),
            new OptionSpec("fused_backward_pass", Group.OPTIMIZER, ValueType.FLAG, false, false, List.of(), refused("the fused Adafactor backward pass is not built"), ""),
            new OptionSpec("lr_scheduler_timescale", Group.OPTIMIZER, ValueType.INT, false, null, List.of(), refused("inverse_sqrt schedules are not built; see --lr_scheduler for the built ones"), ""),
            new OptionSpec("lr_scheduler_min_lr_ratio", Group.OPTIMIZER, ValueType.FLOAT, false, null, List.of(), refused("cosine_with_min_lr / warmup_stable_decay schedules are not built"), ""),
            new OptionSpec("dataset_config", Group.DATASET, ValueType.STRING, false, null, List.of(), USED, "kohya dataset TOML"),
            new OptionSpec("min_snr_gamma", Group.TRAINING, ValueType.FLOAT, false, null, List.of(), USED, "min-SNR loss weighting gamma"),
            new OptionSpec("scale_v_pred_loss_like_noise_pred", Group.TRAINING, ValueType.FLAG, false, false, List.of(), USED, "v-prediction loss weighted by snr/(snr+1)"),
            new OptionSpec("v_pred_like_loss", Group.TRAINING, ValueType.FLOAT, false, null, List.of(), USED, "adds a v-prediction-like loss term of this weight"),
            new OptionSpec("debiased_estimation_loss", Group.TRAINING, ValueType.FLAG, false, false, List.of(), USED, "loss weighted by 1/sqrt(snr)"),
            new OptionSpec("weighted_captions", Group.DATASET, ValueType.FLAG, false, false, List.of(), refused("weighted captions ((word:1.2) in training captions) are not built yet"), ""),
            new OptionSpec("cpu_offload_checkpointing", Group.NETWORK, ValueType.FLAG, false, false, List.of(), refused("CPU offload of checkpointed activations is not built"), ""),
            new OptionSpec("no_metadata", Group.SAVING, ValueType.FLAG, false, false, List.of(), USED, "write only the minimal ss_* keys"),
            new OptionSpec("save_model_as", Group.SAVING, ValueType.STRING, false, "safetensors", List.of("ckpt", "pt", "safetensors"), USED, "safetensors (ckpt/pt are refused)"),
            new OptionSpec("unet_lr", Group.NETWORK, ValueType.FLOAT, false, null, List.of(), USED, "UNet learning rate"),
            new OptionSpec("text_encoder_lr", Group.NETWORK, ValueType.FLOAT, true, null, List.of(), USED, "text-encoder learning rate"),
            new OptionSpec("fp8_base_unet", Group.NETWORK, ValueType.FLAG, false, false, List.of(), refused("fp8 base weights are not built"), ""),
            new OptionSpec("network_weights", Group.NETWORK, ValueType.STRING, false, null, List.of(), USED, "start from this LoRA file"),
            new OptionSpec("network_module", Group.NETWORK, ValueType.STRING, false, null, List.of(), USED, "networks.lora (the only module built)"),
            new OptionSpec("network_dim", Group.NETWORK, ValueType.INT, false, null, List.of(), USED, "LoRA rank (default 4)"),
            new OptionSpec("network_alpha", Group.NETWORK, ValueType.FLOAT, false, 1.0d, List.of(), USED, "LoRA alpha (default 1)"),
            new OptionSpec("network_dropout", Group.NETWORK, ValueType.FLOAT, false, null, List.of(), USED, "dropout on the LoRA down output"),
            new OptionSpec("network_args", Group.NETWORK, ValueType.STRING, true, null, List.of(), USED, "KEY=VALUE ... (conv_dim, conv_alpha, block dims/lr weights, train_blocks, ...)"),
            new OptionSpec("network_train_unet_only", Group.NETWORK, ValueType.FLAG, false, false, List.of(), USED, "train only UNet modules"),
            new OptionSpec("network_train_text_encoder_only", Group.NETWORK, ValueType.FLAG, false, false, List.of(), USED, "train only text-encoder modules"),
            new OptionSpec("training_comment", Group.SAVING, ValueType.STRING, false, null, List.of(), USED, "stored as ss_training_comment"),
            new OptionSpec("dim_from_weights", Group.NETWORK, ValueType.FLAG, false, false, List.of(), USED, "take dims from network_weights"),
            new OptionSpec("scale_weight_norms", Group.NETWORK, ValueType.FLOAT, false, null, List.of(), USED, "cap the norm of each module's weight delta"),
            new OptionSpec("base_weights", Group.NETWORK, ValueType.STRING, true, null, List.of(), refused("merging LoRAs into the base before training is not built yet; merge with the merge_lora command first"), ""),
            new OptionSpec("base_weights_multiplier", Group.NETWORK, ValueType.FLOAT, true, null, List.of(), refused("merging LoRAs into the base before training is not built yet"), ""),
            new OptionSpec("no_half_vae", Group.MODEL, ValueType.FLAG, false, false, List.of(), ignored("the VAE encodes in fp32 on every device"), ""),
            new OptionSpec("skip_until_initial_step", Group.SAVING, ValueType.FLAG, false, false, List.of(), refused("initial_step/initial_epoch counters are not built; use --resume"), ""),
            new OptionSpec("initial_epoch", Group.SAVING, ValueType.INT, false, null, List.of(), refused("initial_step/initial_epoch counters are not built; use --resume"), ""),
            new OptionSpec("initial_step", Group.SAVING, ValueType.INT, false, null, List.of(), refused("initial_step/initial_epoch counters are not built; use --resume"), ""),
            new OptionSpec("validation_seed", Group.DATASET, ValueType.INT, false, null, List.of(), USED, "seed of the validation split's shuffle (default: --seed)"),
            new OptionSpec("validation_split", Group.DATASET, ValueType.FLOAT, false, 0.0d, List.of(), USED, "share of each subset's images held out for validation (0 to 1)"),
            new OptionSpec("validate_every_n_steps", Group.DATASET, ValueType.INT, false, null, List.of(), USED, "validate every N steps (besides every epoch)"),
            new OptionSpec("validate_every_n_epochs", Group.DATASET, ValueType.INT, false, null, List.of(), USED, "validate every N epochs (default: every epoch)"),
            new OptionSpec("max_validation_steps", Group.DATASET, ValueType.INT, false, null, List.of(), USED, "validate on at most N batches"),
            new OptionSpec("cache_text_encoder_outputs", Group.DATASET, ValueType.FLAG, false, false, List.of(), USED, "encode captions once (text encoder not trained; from sdxl_train_network.py)"),
            new OptionSpec("cache_text_encoder_outputs_to_disk", Group.DATASET, ValueType.FLAG, false, false, List.of(), ignored("the text-encoder outputs are cached in memory for the run (as --cache_text_encoder_outputs); nothing is written to disk"), ""),
            // Bakehouse's own options (issue 13), after kohya's: training-in-the-loop features other trainers
            // (OneTrainer, ai-toolkit, SimpleTuner) offer and train_network.py does not
            new OptionSpec("ema_decay", Group.TRAINING, ValueType.FLOAT, false, null, List.of(), USED, "keep an EMA of the LoRA weights with this decay (e.g. 0.999) and save it as <name>-ema.safetensors beside each save"),
            new OptionSpec("ema_update_every", Group.TRAINING, ValueType.INT, false, 1, List.of(), USED, "update the EMA every N optimizer steps"),
            new OptionSpec("ema_warmup", Group.TRAINING, ValueType.FLAG, false, false, List.of(), USED, "EMA decay min(ema_decay, (1+k)/(10+k)) at the k-th update, so short runs are not dominated by the initial weights"),
            new OptionSpec("dop_weight", Group.TRAINING, ValueType.FLOAT, false, 0.0d, List.of(), USED, "differential output preservation: weight of MSE(UNet with LoRA, without LoRA) on --dop_class_prompt; 0 = off"),
            new OptionSpec("dop_class_prompt", Group.TRAINING, ValueType.STRING, false, null, List.of(), USED, "the class prompt without the trigger word for --dop_weight (e.g. \"a star inside a ring\")"),
            new OptionSpec("blank_preservation_weight", Group.TRAINING, ValueType.FLOAT, false, 0.0d, List.of(), USED, "blank-prompt preservation: weight of MSE(UNet with LoRA, without LoRA) on the empty prompt; 0 = off"));

    private static final Map<String, OptionSpec> BY_NAME = byName();

    private static Map<String, OptionSpec> byName() {
        Map<String, OptionSpec> map = new LinkedHashMap<>();
        ALL.forEach(spec -> map.put(spec.name(), spec));
        return Map.copyOf(map);
    }

    /** The option named {@code name} (without dashes). */
    public static Optional<OptionSpec> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The option named {@code name}, which must exist. */
    static OptionSpec get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no train_network.py option --" + name));
    }

    static List<OptionSpec> inGroup(Group group) {
        return ALL.stream().filter(spec -> spec.group() == group).toList();
    }

    static ValueType typeOf(String name) {
        return get(name).type();
    }
}
