package dev.bakehouse.lora.ops;

import dev.bakehouse.lora.format.LoraKind;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraTensor;
import dev.bakehouse.tensor.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A LoRA at a lower rank, as sd-scripts' {@code resize_lora.py}: each module's up · down is
 * factorised exactly ({@link ProductSvd}) and cut to {@code new_rank} ({@code new_conv_rank} for
 * 3x3 convs), or to the rank a {@code dynamic_method} picks (never above new_rank); alpha becomes
 * (old alpha / old rank) · new rank so the scale, and with all components the ΔW, is unchanged.
 * The rank choices, including sd-scripts' index arithmetic, follow resize_lora.py so that a
 * command gives the same ranks; a rank above what the module holds is capped there (kohya would
 * pad with zero singular values). Modules that are not plain lora_up/lora_down pairs are kept as
 * they are and listed.
 */
public final class LoraResize {
    private LoraResize() {}

    private static final double MIN_SV = 1e-6;

    public enum DynamicMethod {
        SV_RATIO, SV_FRO, SV_CUMULATIVE;

        /** kohya's spelling: sv_ratio, sv_fro, sv_cumulative. */
        public static DynamicMethod parse(String text) {
            for (DynamicMethod m : values()) {
                if (m.name().equalsIgnoreCase(text.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("dynamic_method must be one of sv_ratio, sv_fro, sv_cumulative, got '" + text + "'");
        }

        public String kohyaName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param newConvRank   null = newRank
     * @param dynamicMethod null for a fixed rank
     * @param saveDtype     dtype of the written factors and alphas
     */
    public record Options(int newRank, Integer newConvRank, DynamicMethod dynamicMethod, Double dynamicParam, DType saveDtype) {
        public Options {
            if (newRank < 1 || newConvRank != null && newConvRank < 1) {
                throw new IllegalArgumentException("new_rank and new_conv_rank must be at least 1");
            }
            if (dynamicMethod != null && (dynamicParam == null || dynamicParam == 0)) {
                throw new IllegalArgumentException("dynamic_method " + dynamicMethod.kohyaName() + " needs dynamic_param");
            }
        }
    }

    /**
     * kohya's verbose line for one module.
     *
     * @param sumRetained Σ|S| kept / Σ|S|
     * @param froRetained Frobenius norm kept / Frobenius norm: ‖ΔW_new‖ / ‖ΔW‖
     * @param maxRatio    S[0] / S[new rank − 1]
     */
    public record ModuleReport(String name, int oldRank, int newRank, float newAlpha, double sumRetained,
                               double froRetained, double maxRatio) {
        public String kohyaLine() {
            return String.format(Locale.ROOT, "%-75s | sum(S) retained: %.1f%%, fro retained: %.1f%%, max(S) ratio: %.1f, dim: %d, alpha: %s",
                    name, 100 * sumRetained, 100 * froRetained, maxRatio, newRank, SurgeryMetadata.pyFloat(newAlpha));
        }
    }

    public record Result(LoraNetwork network, List<ModuleReport> modules, List<String> unchanged) {
        /** kohya's closing line: mean Frobenius retention and its standard deviation. */
        public String summary() {
            double mean = modules.stream().mapToDouble(ModuleReport::froRetained).average().orElse(Double.NaN);
            double var = modules.stream().mapToDouble(m -> (m.froRetained() - mean) * (m.froRetained() - mean)).average().orElse(0);
            return String.format(Locale.ROOT, "Average Frobenius norm retention: %.2f%% | std: %.3f", 100 * mean, Math.sqrt(var));
        }
    }

    public static Result resize(LoraNetwork in, Options options, Progress progress) {
        Map<String, LoraModule> out = new LinkedHashMap<>();
        List<ModuleReport> reports = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        int maxOldRank = 0;
        float lastAlpha = 0;
        int done = 0;
        for (LoraModule m : in.modules().values()) {
            progress.step(++done, in.modules().size());
            if (m.kind() != LoraKind.LORA || m.tensor("lora_mid.weight").isPresent() || m.doraScale().isPresent()) {
                out.put(m.name(), m);
                unchanged.add(m.name());
                continue;
            }
            LoraTensor up = m.tensor("lora_up.weight").get();
            LoraTensor down = m.tensor("lora_down.weight").get();
            int oldRank = down.rows();
            maxOldRank = Math.max(maxOldRank, oldRank);
            double scale = m.alpha().isPresent() ? m.alpha().get() / (double) oldRank : 1.0;
            boolean conv3x3 = down.rank() == 4 && (down.dim(2) != 1 || down.dim(3) != 1);
            int limit = conv3x3 && options.newConvRank() != null ? options.newConvRank() : options.newRank();
            TruncatedSvd svd = ProductSvd.of(up.values(), down.values(), up.rows(), oldRank, down.cols());
            int full = Math.min(up.rows(), down.cols());
            int newRank = Math.min(chooseRank(svd.s(), full, limit, options), svd.rank());
            float newAlpha = (float) (scale * newRank);
            lastAlpha = newAlpha;
            LoraFactors.Factors f = LoraFactors.of(svd.truncate(newRank), null);
            long[] weightShape = down.shape();
            weightShape[0] = up.rows();
            out.put(m.name(), LoraFactors.module(m.name(), weightShape, f, newAlpha, options.saveDtype()));
            reports.add(report(m.name(), oldRank, newRank, newAlpha, svd.s()));
        }
        Map<String, String> metadata = new LinkedHashMap<>(in.metadata());
        String comment = metadata.getOrDefault("ss_training_comment", "");
        if (options.dynamicMethod() == null) {
            int conv = options.newConvRank() == null ? options.newRank() : options.newConvRank();
            String convDesc = conv == options.newRank() ? "" : " (conv: " + conv + ")";
            metadata.put("ss_training_comment", "dimension is resized from " + maxOldRank + " to " + options.newRank() + convDesc + "; " + comment);
            metadata.put("ss_network_dim", Integer.toString(options.newRank()));
            metadata.put("ss_network_alpha", SurgeryMetadata.pyFloat(lastAlpha));
        } else {
            metadata.put("ss_training_comment", "Dynamic resize with " + options.dynamicMethod().kohyaName() + ": "
                    + SurgeryMetadata.pyFloat(options.dynamicParam()) + " from " + maxOldRank + "; " + comment);
            metadata.put("ss_network_dim", "Dynamic");
            metadata.put("ss_network_alpha", "Dynamic");
        }
        metadata.remove("sshs_model_hash");
        metadata.remove("sshs_legacy_hash");
        return new Result(new LoraNetwork(out, metadata, in.unknownKeys(), in.styles()), reports, unchanged);
    }

    /**
     * resize_lora.py's {@code rank_resize}: S holds the nonzero singular values; {@code full} is
     * the length torch's SVD would give (min(out, in·kh·kw)), the rest being zeros.
     */
    static int chooseRank(float[] s, int full, int limit, Options options) {
        if (s.length == 0 || s[0] <= MIN_SV) {
            return 1;
        }
        int rank = limit;
        if (options.dynamicMethod() != null) {
            double target = options.dynamicParam();
            int index = switch (options.dynamicMethod()) {
                case SV_RATIO -> {
                    double min = s[0] / target;
                    int count = 0;
                    for (float v : s) {
                        count += v > min ? 1 : 0;
                    }
                    yield count;
                }
                case SV_CUMULATIVE -> searchSorted(cumulative(s, false), target) + 1;
                case SV_FRO -> searchSorted(cumulative(s, true), target * target) + 1;
            };
            index = Math.max(1, Math.min(index, full - 1));
            rank = index + 1;
        }
        return Math.max(1, Math.min(rank, limit));
    }

    /** Normalised cumulative sums of S (or S²), as torch.cumsum(...) / sum. */
    private static double[] cumulative(float[] s, boolean squared) {
        double[] c = new double[s.length];
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            sum += squared ? (double) s[i] * s[i] : s[i];
            c[i] = sum;
        }
        for (int i = 0; i < c.length; i++) {
            c[i] /= sum;
        }
        return c;
    }

    /** torch.searchsorted (left): the first index whose value is >= target. */
    private static int searchSorted(double[] sorted, double target) {
        int i = 0;
        while (i < sorted.length && sorted[i] < target) {
            i++;
        }
        return i;
    }

    private static ModuleReport report(String name, int oldRank, int newRank, float newAlpha, float[] s) {
        double sum = 0;
        double kept = 0;
        double fro = 0;
        double froKept = 0;
        for (int i = 0; i < s.length; i++) {
            sum += Math.abs(s[i]);
            fro += (double) s[i] * s[i];
            if (i < newRank) {
                kept += Math.abs(s[i]);
                froKept += (double) s[i] * s[i];
            }
        }
        double maxRatio = s[Math.min(newRank, s.length) - 1] == 0 ? Double.POSITIVE_INFINITY : s[0] / (double) s[newRank - 1];
        return new ModuleReport(name, oldRank, newRank, newAlpha, sum == 0 ? 1 : kept / sum,
                fro == 0 ? 1 : Math.sqrt(froKept / fro), maxRatio);
    }
}
