package dev.bakehouse.train.config;

import java.util.List;

/**
 * The optimizer and the learning-rate schedule. Each component is the {@code train_network.py} option of the same name in
 * snake_case, with kohya's default; {@code null} where kohya's default is {@code None}. Generated from
 * sd-scripts 48d368fa's argparse declarations; {@link KohyaOptions} holds names, types and status.
 */
public record OptimizerOptions(
        String optimizerType,
        boolean use8bitAdam,
        boolean useLionOptimizer,
        double learningRate,
        double maxGradNorm,
        List<String> optimizerArgs,
        String lrSchedulerType,
        List<String> lrSchedulerArgs,
        String lrScheduler,
        StepsOrRatio lrWarmupSteps,
        StepsOrRatio lrDecaySteps,
        int lrSchedulerNumCycles,
        double lrSchedulerPower,
        boolean fusedBackwardPass,
        Integer lrSchedulerTimescale,
        Double lrSchedulerMinLrRatio) {

    static OptimizerOptions from(OptionValues v) {
        return new OptimizerOptions(
                v.string("optimizer_type"),
                v.flag("use_8bit_adam"),
                v.flag("use_lion_optimizer"),
                v.real("learning_rate"),
                v.real("max_grad_norm"),
                v.strings("optimizer_args"),
                v.string("lr_scheduler_type"),
                v.strings("lr_scheduler_args"),
                v.string("lr_scheduler"),
                v.stepsOrRatio("lr_warmup_steps"),
                v.stepsOrRatio("lr_decay_steps"),
                v.integer("lr_scheduler_num_cycles"),
                v.real("lr_scheduler_power"),
                v.flag("fused_backward_pass"),
                v.optionalInteger("lr_scheduler_timescale"),
                v.optionalReal("lr_scheduler_min_lr_ratio"));
    }
}
