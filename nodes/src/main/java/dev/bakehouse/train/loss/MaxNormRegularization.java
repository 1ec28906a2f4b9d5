package dev.bakehouse.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * kohya's {@code --scale_weight_norms} ({@code LoRANetwork.apply_max_norm_regularization}), run
 * after each optimizer step: a module whose delta weight (alpha/dim) up·down has Frobenius norm
 * above max_norm gets both factors scaled by sqrt(max_norm / norm), so the product's norm becomes
 * max_norm. Works for linear, 1x1 and 3x3 conv modules alike: kohya's three cases all compute
 * sum_r up[o, r] down[r, ...].
 */
public final class MaxNormRegularization {
    private MaxNormRegularization() {}

    /** One LoRA module's factors: down (rank, in[, kh, kw]), up (out, rank[, 1, 1]) and its alpha. */
    public record LoraFactors(String name, NDArray down, NDArray up, double alpha) {
        public LoraFactors {
            Objects.requireNonNull(name, "name");
            long rank = down.getShape().get(0);
            if (up.getShape().get(1) != rank) {
                throw new IllegalArgumentException(name + ": lora_up " + up.getShape() + " does not match lora_down "
                        + down.getShape() + " (rank " + rank + ")");
            }
        }
    }

    /**
     * @param name  the module
     * @param norm  ||alpha/dim up·down||_F before scaling
     * @param scale the factor applied to both down and up (1 when the module is within max_norm)
     */
    public record ModuleNorm(String name, double norm, double scale) {
        public boolean scaled() {
            return scale != 1;
        }
    }

    /**
     * What kohya logs: {@code max_norm/keys_scaled}, {@code norm/avg_key_norm} and {@code
     * max_norm/max_key_norm} (the mean and max of each module's norm after scaling).
     */
    public record Report(List<ModuleNorm> modules, int keysScaled, double avgKeyNorm, double maxKeyNorm) {
        public Report {
            modules = List.copyOf(modules);
        }
    }

    /** The scaled factors (new arrays in {@code manager}; a module within max_norm is copied) and the report. */
    public record Result(List<LoraFactors> weights, Report report) {
        public Result {
            weights = List.copyOf(weights);
        }
    }

    /** Measures every module and returns its scaled copy; the inputs are not modified. */
    public static Result apply(List<LoraFactors> modules, double maxNorm, NDManager manager) {
        Report report = measure(modules, maxNorm);
        List<LoraFactors> scaled = new ArrayList<>(modules.size());
        for (int i = 0; i < modules.size(); i++) {
            LoraFactors module = modules.get(i);
            float s = (float) report.modules().get(i).scale();
            NDArray down = module.down().mul(s);
            NDArray up = module.up().mul(s);
            down.attach(manager);
            up.attach(manager);
            scaled.add(new LoraFactors(module.name(), down, up, module.alpha()));
        }
        return new Result(scaled, report);
    }

    /**
     * Each module's norm and scale, without touching the weights (a trainer scales its parameters
     * in place by {@link ModuleNorm#scale()}). Norms are float64.
     */
    public static Report measure(List<LoraFactors> modules, double maxNorm) {
        if (!(maxNorm > 0) || !Double.isFinite(maxNorm)) {
            throw new IllegalArgumentException("--scale_weight_norms must be a positive number, found " + maxNorm);
        }
        if (modules.isEmpty()) {
            throw new IllegalArgumentException("--scale_weight_norms: the network has no LoRA modules");
        }
        List<ModuleNorm> norms = new ArrayList<>(modules.size());
        int keysScaled = 0;
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (LoraFactors module : modules) {
            double norm = deltaNorm(module);
            double clamped = Math.max(norm, maxNorm / 2); // kohya's clamp only guards the division
            double ratio = Math.min(clamped, maxNorm) / clamped;
            if (ratio != 1) {
                keysScaled++;
            }
            double reported = norm * ratio;
            sum += reported;
            max = Math.max(max, reported);
            norms.add(new ModuleNorm(module.name(), norm, Math.sqrt(ratio)));
        }
        return new Report(norms, keysScaled, sum / modules.size(), max);
    }

    /**
     * ||scale * U D||_F with U = up as (out, rank), D = down as (rank, rest), scale = alpha / rank,
     * from the rank x rank Gram matrices: ||U D||^2 = sum((U^T U) * (D D^T)), which costs
     * (out + rest) rank^2 instead of out * rest * rank.
     */
    static double deltaNorm(LoraFactors module) {
        long rank = module.down().getShape().get(0);
        long out = module.up().getShape().get(0);
        try (NDManager scratch = module.down().getManager().newSubManager()) {
            NDArray down = module.down().toType(DataType.FLOAT64, true);
            down.attach(scratch);
            NDArray up = module.up().toType(DataType.FLOAT64, true);
            up.attach(scratch);
            NDArray d = down.reshape(rank, -1);
            NDArray u = up.reshape(out, rank);
            NDArray upGram = u.transpose().dot(u);
            NDArray downGram = d.dot(d.transpose());
            double squared = upGram.mul(downGram).sum().getDouble();
            return Math.sqrt(Math.max(squared, 0)) * module.alpha() / rank;
        }
    }
}
