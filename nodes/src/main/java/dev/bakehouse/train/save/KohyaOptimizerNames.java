package dev.bakehouse.train.save;

import dev.bakehouse.train.optim.OptimizerType;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How kohya names the optimizer in {@code ss_optimizer}: the Python class's module and name
 * ({@code torch.optim.adamw.AdamW}), then the keyword arguments it was given,
 * {@code (k=v,k=v)} with Python's spelling of the values.
 */
public final class KohyaOptimizerNames {
    private KohyaOptimizerNames() {}

    public static String className(OptimizerType type) {
        return switch (type) {
            case ADAMW -> "torch.optim.adamw.AdamW";
            case ADAMW_8BIT -> "bitsandbytes.optim.adamw.AdamW8bit";
            case LION -> "lion_pytorch.lion_pytorch.Lion";
            case LION_8BIT -> "bitsandbytes.optim.lion.Lion8bit";
            case SGD_NESTEROV -> "torch.optim.sgd.SGD";
            case SGD_NESTEROV_8BIT -> "bitsandbytes.optim.sgd.SGD8bit";
            case ADAFACTOR -> "transformers.optimization.Adafactor";
            case DADAPT_ADAM -> "dadaptation.dadapt_adam.DAdaptAdam";
            case DADAPT_LION -> "dadaptation.dadapt_lion.DAdaptLion";
            case DADAPT_ADAM_PREPRINT -> "dadaptation.experimental.dadapt_adam_preprint.DAdaptAdamPreprint";
            case PRODIGY -> "prodigyopt.prodigy.Prodigy";
        };
    }

    /**
     * kohya's {@code optimizer_args} log string: the user's keywords plus those kohya adds for the
     * optimizer (SGD's {@code momentum=0.9}, Adafactor's {@code relative_step}/{@code scale_parameter}
     * /{@code warmup_init} defaults when relative_step is implied).
     */
    public static String arguments(OptimizerType type, Map<String, Object> userArgs) {
        Map<String, Object> args = new java.util.LinkedHashMap<>(userArgs);
        if (type == OptimizerType.SGD_NESTEROV || type == OptimizerType.SGD_NESTEROV_8BIT) {
            args.putIfAbsent("momentum", 0.9);
        }
        if (type == OptimizerType.ADAFACTOR) {
            args.putIfAbsent("relative_step", true);
        }
        return args.entrySet().stream().map(e -> e.getKey() + "=" + PythonRepr.of(e.getValue()))
                .collect(Collectors.joining(","));
    }
}
