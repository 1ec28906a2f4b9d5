package dev.bakehouse.train.config;

import dev.bakehouse.train.config.OptionSpec.Ignored;
import dev.bakehouse.train.config.OptionSpec.Refused;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The checks between parsing and training: options refused until built, notes for options that
 * mean nothing here, and the cross-option conflicts sd-scripts raises in {@code verify_training_args},
 * {@code train_network.py train}, {@code get_optimizer} and {@code sdxl_train_network.py}, one message each.
 */
final class TrainNetworkChecks {
    private TrainNetworkChecks() {}

    /** kohya's optimizer names (lower-cased, as get_optimizer compares them) that Bakehouse builds. */
    static final Set<String> OPTIMIZERS = Set.of("adamw", "adamw8bit", "lion", "lion8bit", "sgdnesterov", "sgdnesterov8bit",
            "adafactor", "dadaptadam", "dadaptlion", "dadaptation", "prodigy");
    static final Set<String> SCHEDULERS = Set.of("constant", "constant_with_warmup", "linear", "cosine", "cosine_with_restarts",
            "polynomial", "adafactor");

    /** Notes to print; throws {@link ArgError} on the first refusal or conflict. */
    static List<String> check(OptionValues v, boolean cuda) {
        List<String> notes = new ArrayList<>();
        for (OptionSpec spec : KohyaOptions.ALL) {
            if (!v.isSet(spec.name()) || Objects.equals(v.raw(spec.name()), spec.defaultValue())
                    && !(spec.status() instanceof Ignored)) {
                continue;
            }
            if (spec.status() instanceof Refused refused) {
                throw new ArgError(spec.flag() + " is not supported: " + refused.reason());
            }
            if (spec.status() instanceof Ignored ignored) {
                notes.add(spec.flag() + " ignored: " + ignored.note());
            }
        }
        String module = v.string("network_module");
        if (module == null) {
            notes.add("--network_module not given: using networks.lora");
        } else if (module.equals("networks.lora")) {
            notes.add("--network_module networks.lora: the one network module Bakehouse builds");
        } else {
            throw new ArgError("--network_module " + module + " is not supported: only networks.lora (LoRA-LierLa, and C3Lier with "
                    + "conv_dim) is built" + (module.startsWith("lycoris") ? "; LyCORIS training is not built yet" : ""));
        }
        switch (v.string("mixed_precision")) {
            case "bf16" -> throw new ArgError("--mixed_precision bf16 is not supported: this DJL build aborts on bf16 tensors; use fp16 (CUDA) or no");
            case "fp16" -> notes.add(cuda ? "--mixed_precision fp16: training computes in fp32 on CUDA too for now (fp16 autocast with loss scaling is not built yet); LoRA files are still saved in --save_precision"
                    : "--mixed_precision fp16: computing in fp32 on CPU (fp16 is 28-50x slower there); LoRA files are still saved in --save_precision");
            default -> { }
        }
        if ("bf16".equals(v.string("save_precision"))) {
            throw new ArgError("--save_precision bf16 is not supported: this DJL build aborts on bf16 tensors; use fp16 or float");
        }
        String saveAs = v.string("save_model_as");
        if (saveAs != null && !saveAs.equals("safetensors")) {
            throw new ArgError("--save_model_as " + saveAs + " is not supported: Bakehouse writes no pickles; use safetensors");
        }
        optimizer(v, notes);
        String scheduler = v.string("lr_scheduler");
        if (!SCHEDULERS.contains(scheduler)) {
            throw new ArgError("--lr_scheduler " + scheduler + " is not supported: expected one of " + String.join(", ", SCHEDULERS.stream().sorted().toList()));
        }
        conflicts(v, notes);
        return notes;
    }

    private static void optimizer(OptionValues v, List<String> notes) {
        String type = v.string("optimizer_type");
        boolean typeGiven = type != null && !type.isEmpty();
        if (v.flag("use_8bit_adam")) {
            conflict(v.flag("use_lion_optimizer"), "both option use_8bit_adam and use_lion_optimizer are specified");
            conflict(typeGiven, "both option use_8bit_adam and optimizer_type are specified");
            notes.add("--use_8bit_adam: same as --optimizer_type AdamW8bit");
        } else if (v.flag("use_lion_optimizer")) {
            conflict(typeGiven, "both option use_lion_optimizer and optimizer_type are specified");
            notes.add("--use_lion_optimizer: same as --optimizer_type Lion");
        }
        if (typeGiven && !OPTIMIZERS.contains(type.toLowerCase(Locale.ROOT))) {
            throw new ArgError("--optimizer_type " + type + " is not supported: expected one of AdamW, AdamW8bit, Lion, Lion8bit, "
                    + "SGDNesterov, SGDNesterov8bit, AdaFactor, DAdaptAdam, DAdaptLion, DAdaptation, Prodigy");
        }
    }

    private static void conflicts(OptionValues v, List<String> notes) {
        if (v.flag("cache_latents_to_disk") && !v.flag("cache_latents")) {
            notes.add("--cache_latents_to_disk turns on --cache_latents (as kohya does)");
        }
        boolean cacheLatents = v.flag("cache_latents") || v.flag("cache_latents_to_disk");
        conflict(cacheLatents && (v.flag("color_aug") || v.flag("random_crop")),
                "when caching latents (--cache_latents), --color_aug and --random_crop cannot be used: they change the image every epoch");
        conflict(v.flag("network_train_unet_only") && v.flag("network_train_text_encoder_only"),
                "--network_train_unet_only and --network_train_text_encoder_only together leave nothing to train");
        boolean cacheText = v.flag("cache_text_encoder_outputs") || v.flag("cache_text_encoder_outputs_to_disk");
        conflict(cacheText && !v.flag("network_train_unet_only"),
                "--cache_text_encoder_outputs needs --network_train_unet_only: a text encoder being trained cannot have its outputs cached");
        conflict(cacheText && (v.flag("shuffle_caption") || v.real("caption_dropout_rate") > 0
                        || v.real("caption_tag_dropout_rate") > 0 || v.real("token_warmup_step") > 0),
                "when caching text encoder outputs, --shuffle_caption, --caption_dropout_rate, --caption_tag_dropout_rate"
                        + " and --token_warmup_step cannot be used");
        conflict(v.optionalReal("adaptive_noise_scale") != null && v.optionalReal("noise_offset") == null,
                "--adaptive_noise_scale requires --noise_offset");
        conflict(v.flag("full_fp16") && !"fp16".equals(v.string("mixed_precision")),
                "--full_fp16 requires --mixed_precision fp16");
        conflict(v.integer("bucket_reso_steps") % 64 != 0,
                "--bucket_reso_steps is " + v.integer("bucket_reso_steps") + "; it must be divisible by 64 for SD1.x");
        conflict(v.flag("dim_from_weights") && v.string("network_weights") == null,
                "--dim_from_weights needs --network_weights");
        conflict(v.string("train_data_dir") == null && v.string("dataset_config") == null,
                "no training images: give --train_data_dir (the parent of the N_name folders) or --dataset_config");
        conflict(v.string("pretrained_model_name_or_path") == null, "--pretrained_model_name_or_path is required");
        if (v.flag("zero_terminal_snr") && !v.flag("v_parameterization")) {
            notes.add("--zero_terminal_snr is enabled, but --v_parameterization is not: training will be unexpected"
                    + " (kohya's warning; the last timestep is pure noise, which an epsilon target cannot learn from)");
        }
        Integer minT = v.optionalInteger("min_timestep");
        Integer maxT = v.optionalInteger("max_timestep");
        conflict(minT != null && maxT != null && minT >= maxT, "--min_timestep (" + minT + ") must be below --max_timestep (" + maxT + ")");
        for (String every : List.of("sample_every_n_epochs", "sample_every_n_steps")) {
            Integer n = v.optionalInteger(every);
            if (n != null && n <= 0) {
                notes.add("--" + every + " " + n + " is 0 or less: sampling on that schedule is off (as kohya does)");
            }
        }
        if (v.isSet("dataset_config") && (v.isSet("train_data_dir") || v.isSet("reg_data_dir"))) {
            notes.add("--train_data_dir and --reg_data_dir are ignored because --dataset_config is given (as kohya does)");
        }
        conflict(v.flag("masked_loss") && v.string("conditioning_data_dir") == null && !v.flag("alpha_mask"),
                "--masked_loss needs its masks: --conditioning_data_dir (mask images named as the training images) or --alpha_mask");
        if (v.string("conditioning_data_dir") != null && !v.flag("masked_loss")) {
            notes.add("--conditioning_data_dir is used only with --masked_loss (as kohya does); no mask is applied");
        }
        if (v.flag("masked_loss") && v.string("conditioning_data_dir") != null && v.flag("alpha_mask")) {
            notes.add("--masked_loss with both --conditioning_data_dir and --alpha_mask: the mask folder wins (as kohya's conditioning images do)");
        }
        if (!v.isSet("max_train_steps") && !v.isSet("max_train_epochs")) {
            notes.add("neither --max_train_steps nor --max_train_epochs given: training kohya's default 1600 steps");
        }
    }

    private static void conflict(boolean failed, String message) {
        if (failed) {
            throw new ArgError(message);
        }
    }
}
