package dev.bakehouse.node.train;

import dev.bakehouse.node.InputSpec;
import dev.bakehouse.node.InputSpec.BooleanInput;
import dev.bakehouse.node.InputSpec.ComboInput;
import dev.bakehouse.node.InputSpec.FloatInput;
import dev.bakehouse.node.InputSpec.IntInput;
import dev.bakehouse.node.InputSpec.StringInput;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.train.config.KohyaArgParser;
import dev.bakehouse.train.optim.OptimizerType;
import dev.bakehouse.train.schedule.SchedulerType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TrainLoRA's widgets: the kohya options users set most, under kohya's names, in the order of
 * kohya_ss's GUI (output, network, learning rates, schedule, length, saving, noise). A widget's
 * "off" value (0 for a learning rate, step count or noise setting; 1 for clip_skip) leaves the
 * option unset, so kohya's own default or rule applies.
 */
final class TrainLoraWidgets {
    private TrainLoraWidgets() {}

    static final String OUTPUT_NAME = "output_name";

    private static final List<String> OPTIMIZERS = Arrays.stream(OptimizerType.values())
            .filter(t -> t != OptimizerType.DADAPT_ADAM_PREPRINT).map(OptimizerType::kohyaName).toList();
    private static final List<String> SCHEDULERS = Arrays.stream(SchedulerType.values()).map(SchedulerType::kohyaName).toList();

    static List<InputSpec> specs() {
        return List.of(
                StringInput.of(OUTPUT_NAME, "lora")
                        .withTooltip("The LoRA's name: files go to models/loras/<output_name>/, with the log, loss chart and states."),
                IntInput.of("network_dim", 16, 1, 1024).withTooltip("LoRA rank of the Linear layers."),
                FloatInput.of("network_alpha", 8.0, 0.0, 1024.0).withStep(0.5)
                        .withTooltip("Scale alpha/dim of the LoRA output; kohya's default is 1."),
                IntInput.of("conv_dim", 0, 0, 1024).withTooltip("LoRA rank of the 3x3 convolutions (C3Lier); 0 = none."),
                FloatInput.of("conv_alpha", 1.0, 0.0, 1024.0).withStep(0.5).withTooltip("Alpha of the conv modules."),
                rate("learning_rate", 1e-4, "Learning rate of every group without its own."),
                rate("unet_lr", 0.0, "Learning rate of the UNet modules; 0 = learning_rate."),
                rate("text_encoder_lr", 0.0, "Learning rate of the text encoder modules; 0 = learning_rate."),
                ComboInput.of("optimizer_type", OPTIMIZERS).withDefault("AdamW")
                        .withTooltip("Optimizer; its settings go in kohya_args as --optimizer_args."),
                ComboInput.of("lr_scheduler", SCHEDULERS).withDefault("constant").withTooltip("Learning rate schedule."),
                IntInput.of("lr_warmup_steps", 0, 0, 1_000_000).withTooltip("Warm-up steps (a ratio goes in kohya_args)."),
                IntInput.of("max_train_epochs", 10, 0, 100_000)
                        .withTooltip("Epochs to train; 0 = train max_train_steps steps. kohya lets epochs win when both are set."),
                IntInput.of("max_train_steps", 0, 0, 10_000_000)
                        .withTooltip("Optimizer steps to train when max_train_epochs is 0 (kohya's default 1600 when both are 0)."),
                IntInput.of("train_batch_size", 1, 1, 256).withTooltip("Images per step."),
                IntInput.of("save_every_n_epochs", 1, 0, 100_000)
                        .withTooltip("Save a LoRA every N epochs (each becomes an output); 0 = only the last."),
                IntInput.of("seed", 42, 0, 0xFFFFFFFFL).withoutControlAfterGenerate().withTooltip("The run's seed: same seed and inputs, same LoRA."),
                BooleanInput.of("network_train_unet_only", false).withTooltip("Train the UNet only: no lora_te_ modules."),
                FloatInput.of("min_snr_gamma", 0.0, 0.0, 100.0).withStep(0.5).withTooltip("Min-SNR weighting gamma (5 is usual); 0 = off."),
                FloatInput.of("noise_offset", 0.0, 0.0, 1.0).withStep(0.01).withTooltip("Noise offset (0.05-0.1 is usual); 0 = off."),
                IntInput.of("clip_skip", 1, 1, 12).withTooltip("Condition on the text encoder's Nth layer from the end; 1 = last."));
    }

    /**
     * Bakehouse's in-the-loop options (issue 13) as optional widgets, so graphs saved before they
     * existed still validate: EMA, the preservation terms, and kohya's masked loss by alpha channel.
     */
    static List<InputSpec> optionalSpecs() {
        return List.of(
                FloatInput.of("ema_decay", 0.0, 0.0, 0.99999).withStep(0.0001)
                        .withTooltip("Keep an EMA of the LoRA weights with this decay (0.999 is usual) and save it beside "
                                + "each file as <name>-ema.safetensors; 0 = off."),
                IntInput.of("ema_update_every", 1, 1, 100_000).withTooltip("Update the EMA every N optimizer steps."),
                FloatInput.of("dop_weight", 0.0, 0.0, 100.0).withStep(0.05)
                        .withTooltip("Differential output preservation: pulls the LoRA's prediction on dop_class_prompt "
                                + "toward the base model's; 0 = off."),
                StringInput.of("dop_class_prompt", "")
                        .withTooltip("The class prompt without the trigger word, e.g. \"a star inside a ring\"."),
                FloatInput.of("blank_preservation_weight", 0.0, 0.0, 100.0).withStep(0.05)
                        .withTooltip("Pulls the LoRA's prediction on the empty prompt toward the base model's; 0 = off."),
                BooleanInput.of("alpha_mask", false)
                        .withTooltip("Masked loss: each image's alpha channel weights its loss (transparent = not learned)."));
    }

    private static FloatInput rate(String name, double defaultValue, String tooltip) {
        return FloatInput.of(name, defaultValue, 0.0, 10.0).withStep(0.000001).withTooltip(tooltip);
    }

    /** The options the widgets set, converted as kohya's command line converts them. */
    static Map<String, Object> kohyaOptions(NodeInputs in) {
        List<String> argv = new ArrayList<>();
        String outputName = in.getString(OUTPUT_NAME).strip();
        argv.add("--output_name=" + outputName);
        argv.add("--network_dim=" + in.getInt("network_dim"));
        argv.add("--network_alpha=" + number(in.getDouble("network_alpha")));
        if (in.getInt("conv_dim") > 0) {
            argv.addAll(List.of("--network_args", "conv_dim=" + in.getInt("conv_dim"),
                    "conv_alpha=" + number(in.getDouble("conv_alpha"))));
        }
        argv.add("--learning_rate=" + number(in.getDouble("learning_rate")));
        positive(argv, "unet_lr", in.getDouble("unet_lr"));
        positive(argv, "text_encoder_lr", in.getDouble("text_encoder_lr"));
        argv.add("--optimizer_type=" + in.getString("optimizer_type"));
        argv.add("--lr_scheduler=" + in.getString("lr_scheduler"));
        positive(argv, "lr_warmup_steps", in.getInt("lr_warmup_steps"));
        positive(argv, "max_train_epochs", in.getInt("max_train_epochs"));
        positive(argv, "max_train_steps", in.getInt("max_train_steps"));
        argv.add("--train_batch_size=" + in.getInt("train_batch_size"));
        positive(argv, "save_every_n_epochs", in.getInt("save_every_n_epochs"));
        argv.add("--seed=" + in.getLong("seed"));
        if (in.getBoolean("network_train_unet_only")) {
            argv.add("--network_train_unet_only");
        }
        positive(argv, "min_snr_gamma", in.getDouble("min_snr_gamma"));
        positive(argv, "noise_offset", in.getDouble("noise_offset"));
        if (in.getInt("clip_skip") > 1) {
            argv.add("--clip_skip=" + in.getInt("clip_skip"));
        }
        inLoopOptions(in, argv);
        return KohyaArgParser.parse(argv).given();
    }

    private static void inLoopOptions(NodeInputs in, List<String> argv) {
        if (in.has("ema_decay")) {
            positive(argv, "ema_decay", in.getDouble("ema_decay"));
        }
        if (in.has("ema_update_every") && in.getInt("ema_update_every") > 1) {
            argv.add("--ema_update_every=" + in.getInt("ema_update_every"));
        }
        if (in.has("dop_weight")) {
            positive(argv, "dop_weight", in.getDouble("dop_weight"));
        }
        if (in.has("dop_class_prompt") && !in.getString("dop_class_prompt").isBlank()) {
            argv.add("--dop_class_prompt=" + in.getString("dop_class_prompt").strip());
        }
        if (in.has("blank_preservation_weight")) {
            positive(argv, "blank_preservation_weight", in.getDouble("blank_preservation_weight"));
        }
        if (in.has("alpha_mask") && in.getBoolean("alpha_mask")) {
            argv.add("--alpha_mask");
        }
    }

    private static void positive(List<String> argv, String option, double value) {
        if (value > 0) {
            argv.add("--" + option + "=" + number(value));
        }
    }

    /** Integers without ".0", so an int option such as lr_warmup_steps parses; others as Java prints them. */
    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }
}
