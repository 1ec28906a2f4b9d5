package dev.bakehouse.train.optim;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Set;

/**
 * Builds an optimizer as kohya's {@code get_optimizer} does: the upstream constructor's defaults,
 * kohya's own adjustments (SGDNesterov gets momentum=0.9 and nesterov=True; Adafactor gets
 * relative_step=True, and warmup_init forces it on), and {@code --optimizer_args} checked against
 * the keys the upstream constructor takes.
 */
public final class Optimizers {
    private Optimizers() {}

    // The upstream constructors' keyword arguments. Those that only pick kernels or devices
    // (foreach, fused, capturable, differentiable, use_triton, fsdp_in_use) or only print
    // (log_every) change nothing here and are accepted.
    private static final Set<String> ADAMW_KEYS = Set.of("betas", "eps", "weight_decay", "amsgrad", "maximize",
            "foreach", "capturable", "differentiable", "fused");
    private static final Set<String> LION_KEYS = Set.of("betas", "weight_decay", "use_triton", "decoupled_weight_decay");
    private static final Set<String> SGD_KEYS = Set.of("momentum", "dampening", "weight_decay", "maximize", "foreach",
            "differentiable", "fused");
    private static final Set<String> ADAFACTOR_KEYS = Set.of("eps", "clip_threshold", "decay_rate", "beta1",
            "weight_decay", "scale_parameter", "relative_step", "warmup_init");
    private static final Set<String> DADAPT_ADAM_KEYS = Set.of("betas", "eps", "weight_decay", "log_every", "decouple",
            "use_bias_correction", "d0", "growth_rate", "fsdp_in_use");
    private static final Set<String> DADAPT_PREPRINT_KEYS = Set.of("betas", "eps", "weight_decay", "log_every",
            "decouple", "d0", "growth_rate", "fsdp_in_use");
    private static final Set<String> DADAPT_LION_KEYS = Set.of("betas", "weight_decay", "log_every", "d0",
            "fsdp_in_use");
    private static final Set<String> PRODIGY_KEYS = Set.of("betas", "beta3", "eps", "weight_decay", "decouple",
            "use_bias_correction", "safeguard_warmup", "d0", "d_coef", "growth_rate", "fsdp_in_use", "slice_p");

    /**
     * @param optimizerType kohya's {@code --optimizer_type} (empty = AdamW)
     * @param args          parsed {@code --optimizer_args}
     * @param learningRate  kohya's {@code --learning_rate}: the constructor lr; for relative-step
     *                      Adafactor the {@code initial_lr} its schedule reports before the first step
     * @param groups        the param groups with their base lrs ({@code unet_lr}, {@code text_encoder_lr})
     * @param parent        the optimizer's state lives in a child of this manager
     */
    public static Optimizer create(String optimizerType, OptimizerArgs args, double learningRate,
                                   List<ParamGroup> groups, NDManager parent) {
        OptimizerType type = OptimizerType.parse(optimizerType);
        return switch (type) {
            case ADAMW -> adamW(args, groups, parent);
            case LION -> lion(args, groups, parent);
            case SGD_NESTEROV -> sgdNesterov(args, groups, parent);
            case ADAMW_8BIT, LION_8BIT, SGD_NESTEROV_8BIT -> BlockwiseQuantizedOptimizer.create(type, args, groups, parent);
            case ADAFACTOR -> adafactor(args, learningRate, groups, parent);
            case DADAPT_ADAM -> dAdaptAdam(args, groups, parent);
            case DADAPT_ADAM_PREPRINT -> dAdaptAdamPreprint(args, groups, parent);
            case DADAPT_LION -> dAdaptLion(args, groups, parent);
            case PRODIGY -> prodigy(args, groups, parent);
        };
    }

    private static Optimizer adamW(OptimizerArgs args, List<ParamGroup> groups, NDManager parent) {
        String name = OptimizerType.ADAMW.kohyaName();
        args.requireKnown(name, ADAMW_KEYS);
        torchOnlyDefaults(name, args);
        double[] b = args.pair("betas", 0.9, 0.999);
        return new AdamW(groups, new AdamW.Hyper(b[0], b[1], args.real("eps", 1e-8),
                args.real("weight_decay", 1e-2)), parent);
    }

    private static Optimizer lion(OptimizerArgs args, List<ParamGroup> groups, NDManager parent) {
        String name = OptimizerType.LION.kohyaName();
        args.requireKnown(name, LION_KEYS);
        args.requireDefault(name, "decoupled_weight_decay", false, "kohya does not set it");
        double[] b = args.pair("betas", 0.9, 0.99);
        return new Lion(groups, new Lion.Hyper(b[0], b[1], args.real("weight_decay", 0.0)), parent);
    }

    /** kohya passes nesterov=True itself and momentum=0.9 when the user gave none. */
    private static Optimizer sgdNesterov(OptimizerArgs args, List<ParamGroup> groups, NDManager parent) {
        String name = OptimizerType.SGD_NESTEROV.kohyaName();
        args.requireKnown(name, SGD_KEYS);
        torchOnlyDefaults(name, args);
        OptimizerArgs a = args.withDefault("momentum", 0.9);
        double momentum = a.real("momentum", 0.9);
        double dampening = a.real("dampening", 0.0);
        if (momentum <= 0 || dampening != 0) {
            throw new IllegalArgumentException("optimizer_args for " + name + ": Nesterov momentum requires"
                    + " momentum > 0 and dampening = 0 (torch.optim.SGD), found momentum=" + momentum
                    + ", dampening=" + dampening);
        }
        return new SgdNesterov(groups, new SgdNesterov.Hyper(momentum, dampening, a.real("weight_decay", 0.0)), parent);
    }

    /** kohya's defaults: relative_step=True unless given; warmup_init=True forces relative_step on. */
    private static Optimizer adafactor(OptimizerArgs args, double learningRate, List<ParamGroup> groups,
                                       NDManager parent) {
        args.requireKnown(OptimizerType.ADAFACTOR.kohyaName(), ADAFACTOR_KEYS);
        OptimizerArgs a = args.withDefault("relative_step", true);
        boolean warmupInit = a.bool("warmup_init", false);
        boolean relative = a.bool("relative_step", true) || warmupInit;
        double[] eps = a.pair("eps", 1e-30, 1e-3);
        return new Adafactor(groups, new Adafactor.Hyper(eps[0], eps[1], a.real("clip_threshold", 1.0),
                a.real("decay_rate", -0.8), a.optionalReal("beta1", null), a.real("weight_decay", 0.0),
                a.bool("scale_parameter", true), relative, warmupInit), learningRate, parent);
    }

    private static Optimizer dAdaptAdam(OptimizerArgs args, List<ParamGroup> groups, NDManager parent) {
        String name = OptimizerType.DADAPT_ADAM.kohyaName();
        args.requireKnown(name, DADAPT_ADAM_KEYS);
        double[] b = args.pair("betas", 0.9, 0.999);
        return new DAdaptAdam(groups, new DAdaptAdam.Hyper(b[0], b[1], args.real("eps", 1e-8),
                args.real("weight_decay", 0.0), args.bool("decouple", false), args.bool("use_bias_correction", false),
                positive(name, "d0", args.real("d0", 1e-6)), args.real("growth_rate", Double.POSITIVE_INFINITY)), parent);
    }

    private static Optimizer dAdaptAdamPreprint(OptimizerArgs args, List<ParamGroup> groups, NDManager parent) {
        String name = OptimizerType.DADAPT_ADAM_PREPRINT.kohyaName();
        args.requireKnown(name, DADAPT_PREPRINT_KEYS);
        double[] b = args.pair("betas", 0.9, 0.999);
        return new DAdaptAdamPreprint(groups, new DAdaptAdamPreprint.Hyper(b[0], b[1], args.real("eps", 1e-8),
                args.real("weight_decay", 0.0), args.bool("decouple", false), positive(name, "d0", args.real("d0", 1e-6)),
                args.real("growth_rate", Double.POSITIVE_INFINITY)), parent);
    }

    private static Optimizer dAdaptLion(OptimizerArgs args, List<ParamGroup> groups, NDManager parent) {
        String name = OptimizerType.DADAPT_LION.kohyaName();
        args.requireKnown(name, DADAPT_LION_KEYS);
        double[] b = args.pair("betas", 0.9, 0.99);
        return new DAdaptLion(groups, new DAdaptLion.Hyper(b[0], b[1], args.real("weight_decay", 0.0),
                positive(name, "d0", args.real("d0", 1e-6))), parent);
    }

    private static Optimizer prodigy(OptimizerArgs args, List<ParamGroup> groups, NDManager parent) {
        String name = OptimizerType.PRODIGY.kohyaName();
        args.requireKnown(name, PRODIGY_KEYS);
        double[] b = args.pair("betas", 0.9, 0.999);
        long sliceP = args.integer("slice_p", 1);
        if (sliceP < 1) {
            throw new IllegalArgumentException("optimizer_args for Prodigy: slice_p must be >= 1, found " + sliceP);
        }
        return new Prodigy(groups, new Prodigy.Hyper(b[0], b[1], args.optionalReal("beta3", null),
                args.real("eps", 1e-8), args.real("weight_decay", 0.0), args.bool("decouple", true),
                args.bool("use_bias_correction", false), args.bool("safeguard_warmup", false),
                positive(name, "d0", args.real("d0", 1e-6)), args.real("d_coef", 1.0),
                args.real("growth_rate", Double.POSITIVE_INFINITY), sliceP), parent);
    }

    /** torch's switches that change the algorithm are only supported off; the speed switches mean nothing here. */
    private static void torchOnlyDefaults(String name, OptimizerArgs args) {
        args.requireDefault(name, "amsgrad", false, "not implemented");
        args.requireDefault(name, "maximize", false, "training minimises the loss");
    }

    private static double positive(String optimizer, String key, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException("optimizer_args for " + optimizer + ": " + key + " must be > 0, found " + v);
        }
        return v;
    }
}
