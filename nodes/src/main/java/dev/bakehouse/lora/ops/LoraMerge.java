package dev.bakehouse.lora.ops;

import dev.bakehouse.lora.format.KohyaModuleNames;
import dev.bakehouse.lora.format.LoraKind;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraTensor;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.sd.DetectedArchitecture.Family;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Several LoRAs into one. For each module the weighted sum of the inputs' weight differences
 * ΔW = Σ ratio_i · block ratio_i · (alpha_i / rank_i) · up_i · down_i is formed as one product of
 * side-by-side factors, then either
 * <ul>
 *   <li>{@link Mode#SVD} (default, sd-scripts' {@code svd_merge_lora.py}): factorised back to the
 *       new rank by an exact SVD of that product, up = U·S and down = Vᵀ clamped at the 0.99
 *       quantile, alpha = rank; or</li>
 *   <li>{@link Mode#CONCAT}: the factors themselves, rank = Σ rank_i, alpha = rank: exactly ΔW,
 *       at the summed rank.</li>
 * </ul>
 * The plain factor-sum merge (sd-scripts' {@code merge_lora.py} without {@code --concat}) is not
 * offered: summing ups and downs separately applies the ratio twice and adds cross terms.
 */
public final class LoraMerge {
    private LoraMerge() {}

    public enum Mode { SVD, CONCAT }

    /** @param blockWeights LoRA Block Weight ratios by module block, null for none */
    public record Input(String name, LoraNetwork network, float ratio, LoraBlockWeights blockWeights) {}

    /**
     * @param newRank       rank of linear and 1x1 modules; null = the largest input rank of each module
     * @param newConvRank   rank of 3x3 modules; null = newRank
     * @param clampQuantile null for no clamp (sd-scripts: 0.99)
     */
    public record Options(Mode mode, Integer newRank, Integer newConvRank, Double clampQuantile, DType saveDtype) {
        public Options {
            if (newRank != null && newRank < 1 || newConvRank != null && newConvRank < 1) {
                throw new IllegalArgumentException("new_rank and new_conv_rank must be at least 1");
            }
        }
    }

    /** @param keptEnergy share of the merged ΔW's ‖·‖² the output keeps (1 for CONCAT) */
    public record ModuleReport(String name, int rank, double keptEnergy) {}

    public record Result(LoraNetwork network, List<ModuleReport> modules) {}

    private record Part(float coefficient, LoraTensor up, LoraTensor down) {}

    /** @throws IllegalArgumentException naming the input and module that cannot be merged */
    public static Result merge(List<Input> inputs, Options options, Progress progress) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no LoRA to merge");
        }
        Map<String, List<Part>> parts = new TreeMap<>();
        for (Input in : inputs) {
            for (LoraModule m : in.network().modules().values()) {
                if (m.kind() != LoraKind.LORA || m.tensor("lora_mid.weight").isPresent() || m.doraScale().isPresent()) {
                    throw new IllegalArgumentException(in.name() + ": module " + m.name() + " is " + m.kind()
                            + (m.tensor("lora_mid.weight").isPresent() ? " with lora_mid (Tucker)" : "")
                            + (m.doraScale().isPresent() ? " with dora_scale" : "")
                            + "; only plain lora_up/lora_down modules can be merged");
                }
                float block = in.blockWeights() == null ? 1f : blockRatio(in.blockWeights(), m.name());
                float c = (float) (in.ratio() * block * m.scale());
                parts.computeIfAbsent(m.name(), k -> new ArrayList<>())
                        .add(new Part(c, m.tensor("lora_up.weight").get(), m.tensor("lora_down.weight").get()));
            }
        }
        Map<String, LoraModule> out = new LinkedHashMap<>();
        List<ModuleReport> reports = new ArrayList<>();
        TreeSet<Integer> ranks = new TreeSet<>();
        int done = 0;
        for (Map.Entry<String, List<Part>> e : parts.entrySet()) {
            ModuleReport r = mergeModule(e.getKey(), e.getValue(), options, inputs, out);
            reports.add(r);
            ranks.add(r.rank());
            progress.step(++done, parts.size());
        }
        Map<String, String> metadata = metadata(inputs, options, ranks);
        return new Result(new LoraNetwork(out, metadata, List.of(), EnumSet.of(LoraNetwork.KeyStyle.KOHYA)), reports);
    }

    private static ModuleReport mergeModule(String name, List<Part> parts, Options options, List<Input> inputs,
                                            Map<String, LoraModule> out) {
        long[] downShape = parts.get(0).down().shape();
        int rows = parts.get(0).up().rows();
        int cols = parts.get(0).down().cols();
        int total = 0;
        int maxRank = 0;
        for (Part p : parts) {
            long[] d = p.down().shape();
            d[0] = downShape[0];
            if (!Arrays.equals(d, downShape) || p.up().rows() != rows) {
                throw new IllegalArgumentException("module " + name + ": the LoRAs adapt different shapes (up "
                        + parts.get(0).up() + " / down " + parts.get(0).down() + " vs up " + p.up() + " / down " + p.down() + ")");
            }
            total += p.down().rows();
            maxRank = Math.max(maxRank, p.down().rows());
        }
        float[] left = new float[rows * total];
        float[] right = new float[total * cols];
        int at = 0;
        for (Part p : parts) {
            int r = p.down().rows();
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < r; j++) {
                    left[i * total + at + j] = p.coefficient() * p.up().values()[i * r + j];
                }
            }
            System.arraycopy(p.down().values(), 0, right, at * cols, r * cols);
            at += r;
        }
        long[] weightShape = downShape.clone();
        weightShape[0] = rows;
        if (options.mode() == Mode.CONCAT) {
            LoraFactors.Factors f = new LoraFactors.Factors(left, right, total);
            out.put(name, LoraFactors.module(name, weightShape, f, total, options.saveDtype()));
            return new ModuleReport(name, total, 1.0);
        }
        boolean conv3x3 = downShape.length == 4 && (downShape[2] != 1 || downShape[3] != 1);
        Integer wanted = conv3x3 && options.newConvRank() != null ? options.newConvRank() : options.newRank();
        int inChannels = (int) downShape[1];
        int rank = Math.min(wanted == null ? maxRank : wanted, Math.min(rows, inChannels));
        TruncatedSvd svd = ProductSvd.of(left, right, rows, total, cols);
        TruncatedSvd kept = pad(svd, rank);
        LoraFactors.Factors f = LoraFactors.of(kept, options.clampQuantile());
        out.put(name, LoraFactors.module(name, weightShape, f, rank, options.saveDtype()));
        return new ModuleReport(name, rank, svd.truncate(rank).keptEnergy());
    }

    /** The leading {@code rank} components, zero-padded when the product has fewer (its rank is Σ rank_i). */
    static TruncatedSvd pad(TruncatedSvd svd, int rank) {
        if (rank <= svd.rank()) {
            return svd.truncate(rank);
        }
        float[] u = new float[svd.rows() * rank];
        for (int i = 0; i < svd.rows(); i++) {
            System.arraycopy(svd.u(), i * svd.rank(), u, i * rank, svd.rank());
        }
        float[] vt = Arrays.copyOf(svd.vt(), rank * svd.cols());
        return new TruncatedSvd(svd.rows(), svd.cols(), u, Arrays.copyOf(svd.s(), rank), vt, svd.frobeniusSquared());
    }

    /** A module's LBW ratio by its kohya name; text encoder = BASE, a name in no block = 1. */
    static float blockRatio(LoraBlockWeights weights, String moduleName) {
        return KohyaModuleNames.blockOfModuleName(moduleName).map(weights::ratio).orElse(1f);
    }

    private static Map<String, String> metadata(List<Input> inputs, Options options, TreeSet<Integer> ranks) {
        Family family = null;
        String v2 = null;
        String base = null;
        for (Input in : inputs) {
            v2 = v2 != null ? v2 : in.network().metadata().get("ss_v2");
            base = base != null ? base : in.network().metadata().get("ss_base_model_version");
        }
        String dim = ranks.size() == 1 ? ranks.first().toString() : "Dynamic";
        String args = null;
        if (options.mode() == Mode.SVD && options.newRank() != null) {
            int conv = options.newConvRank() != null ? options.newConvRank() : options.newRank();
            dim = options.newRank().toString();
            args = "{\"conv_dim\": " + conv + ", \"conv_alpha\": " + conv + "}";
        }
        Map<String, String> m = SurgeryMetadata.minimumNetwork(family, dim, dim, args);
        if (v2 != null) {
            m.put("ss_v2", v2);
        }
        if (base != null) {
            m.put("ss_base_model_version", base);
        }
        return m;
    }
}
