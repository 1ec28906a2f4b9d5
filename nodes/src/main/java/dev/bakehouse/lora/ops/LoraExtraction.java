package dev.bakehouse.lora.ops;

import ai.djl.ndarray.NDManager;
import dev.bakehouse.lora.format.KohyaModuleNames;
import dev.bakehouse.lora.format.LayerKind;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraTarget;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.tensor.sd.ArchitectureDetector;
import dev.bakehouse.tensor.sd.DetectedArchitecture;
import dev.bakehouse.tensor.sd.ShapeIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LoRA from the difference of two checkpoints, as sd-scripts' {@code extract_lora_from_models.py}:
 * for every module kohya's {@code networks.lora} would create (3x3 convs and the other resnet
 * modules only with {@code conv_dim}), ΔW = tuned − original is factorised to rank
 * min(dim or conv_dim, in, out), up = U·S and down = Vᵀ clamped at {@code clamp_quantile}, alpha =
 * rank (scale 1). Text-encoder modules are included only when some weight differs by more than
 * {@code min_diff}. Weights are read one module at a time, so neither model is ever held whole.
 */
public final class LoraExtraction {
    private LoraExtraction() {}

    /**
     * @param dim           kohya {@code --dim}
     * @param convDim       kohya {@code --conv_dim}, null for none (no resnet/sampler modules)
     * @param clampQuantile kohya {@code --clamp_quantile}, null for no clamp
     * @param minDiff       kohya {@code --min_diff}
     * @param saveDtype     dtype of the factors (kohya {@code --save_precision}; F32 when omitted)
     */
    public record Options(int dim, Integer convDim, Double clampQuantile, double minDiff, SvdMethod method,
                          RandomizedSvd.Settings randomized, DType saveDtype) {
        public Options {
            if (dim < 1) {
                throw new IllegalArgumentException("dim must be at least 1, got " + dim);
            }
            if (convDim != null && convDim < 1) {
                throw new IllegalArgumentException("conv_dim must be at least 1, got " + convDim);
            }
            if (minDiff < 0) {
                throw new IllegalArgumentException("min_diff must be >= 0, got " + minDiff);
            }
        }

        /** sd-scripts' defaults: dim 4, no conv_dim, clamp 0.99, min_diff 0.01; randomized SVD, F32. */
        public static Options kohyaDefaults() {
            return new Options(4, null, 0.99, 0.01, SvdMethod.RANDOMIZED, RandomizedSvd.Settings.DEFAULT, DType.F32);
        }

        public Options withDim(int newDim, Integer newConvDim) {
            return new Options(newDim, newConvDim, clampQuantile, minDiff, method, randomized, saveDtype);
        }

        public Options withMethod(SvdMethod newMethod) {
            return new Options(dim, convDim, clampQuantile, minDiff, newMethod, randomized, saveDtype);
        }

        public Options withClampQuantile(Double q) {
            return new Options(dim, convDim, q, minDiff, method, randomized, saveDtype);
        }
    }

    /** @param keptEnergy Σ s_i² / ‖ΔW‖² of the kept components (before clamping) */
    public record ModuleReport(String name, int rank, double keptEnergy) {}

    /**
     * @param textEncoderMaxDiff the largest |ΔW| over the text-encoder modules
     */
    public record Result(LoraNetwork network, DetectedArchitecture.Family family, List<ModuleReport> modules,
                         boolean textEncoderIncluded, double textEncoderMaxDiff) {}

    /**
     * @param original kohya {@code --model_org}, keys as the model loads them ({@code CheckpointView})
     * @param tuned    kohya {@code --model_tuned}
     * @param manager  parent of the scratch managers the randomized SVD uses
     * @throws TensorFileException when the models do not have the same modules and shapes
     */
    public static Result extract(TensorSource original, TensorSource tuned, Options options, NDManager manager,
                                 Progress progress) throws TensorFileException {
        ShapeIndex index = ShapeIndex.of(original);
        DetectedArchitecture arch = ArchitectureDetector.detect(index, original.metadata());
        List<LoraTarget> text = new ArrayList<>();
        List<LoraTarget> unet = new ArrayList<>();
        for (LoraTarget t : KohyaModuleNames.enumerate(index)) {
            if (t.convDimOnly() && options.convDim() == null) {
                continue;
            }
            requireSameShape(original, tuned, t.checkpointKey());
            (t.loraName().startsWith("lora_te") ? text : unet).add(t);
        }
        double teMax = 0;
        for (LoraTarget t : text) {
            teMax = Math.max(teMax, maxAbs(difference(original, tuned, t)));
        }
        boolean teIncluded = teMax > options.minDiff();
        List<LoraTarget> todo = new ArrayList<>(teIncluded ? text : List.of());
        todo.addAll(unet);

        Map<String, LoraModule> modules = new LinkedHashMap<>();
        List<ModuleReport> reports = new ArrayList<>();
        for (int i = 0; i < todo.size(); i++) {
            LoraTarget t = todo.get(i);
            long[] shape = targetShape(original, t);
            int rows = (int) shape[0];
            float[] diff = difference(original, tuned, t);
            int cols = diff.length / rows;
            int want = t.kind() == LayerKind.CONV3X3 && options.convDim() != null ? options.convDim() : options.dim();
            int rank = Math.min(want, Math.min(t.inDim(), t.outDim()));
            TruncatedSvd svd = options.method().factorise(manager, diff, rows, cols, rank,
                    options.randomized().withSeed(options.randomized().seed() ^ t.loraName().hashCode()));
            LoraFactors.Factors f = LoraFactors.of(svd, options.clampQuantile());
            modules.put(t.loraName(), LoraFactors.module(t.loraName(), shape, f, rank, options.saveDtype()));
            reports.add(new ModuleReport(t.loraName(), rank, svd.keptEnergy()));
            progress.step(i + 1, todo.size());
        }
        String args = options.convDim() == null ? "{}"
                : "{\"conv_dim\": \"" + options.convDim() + "\", \"conv_alpha\": \"" + SurgeryMetadata.pyFloat(options.convDim()) + "\"}";
        Map<String, String> metadata = SurgeryMetadata.minimumNetwork(arch.family(), Integer.toString(options.dim()),
                SurgeryMetadata.pyFloat(options.dim()), args);
        LoraNetwork network = new LoraNetwork(modules, metadata, List.of(), EnumSet.of(LoraNetwork.KeyStyle.KOHYA));
        return new Result(network, arch.family(), reports, teIncluded, teMax);
    }

    private static void requireSameShape(TensorSource original, TensorSource tuned, String key) throws TensorFileException {
        if (!tuned.contains(key)) {
            throw new TensorFileException(tuned.path(), key, "missing: the tuned model must have the original's layers "
                    + "(are both the same model family?)");
        }
        long[] a = original.info(key).shape();
        long[] b = tuned.info(key).shape();
        if (!Arrays.equals(a, b)) {
            throw new TensorFileException(tuned.path(), key, "has shape " + Arrays.toString(b) + ", the original model "
                    + Arrays.toString(a) + " (are both the same model family?)");
        }
    }

    /** The weight a module adapts: the whole tensor, or its rows (OpenCLIP's fused q/k/v). */
    private static long[] targetShape(TensorSource s, LoraTarget t) throws TensorFileException {
        long[] shape = s.info(t.checkpointKey()).shape();
        if (t.rowStart() >= 0) {
            shape[0] = t.rowEnd() - t.rowStart();
        }
        return shape;
    }

    /** tuned − original for one module, in float. */
    private static float[] difference(TensorSource original, TensorSource tuned, LoraTarget t) throws TensorFileException {
        float[] o = rows(original, t);
        float[] d = rows(tuned, t);
        for (int i = 0; i < d.length; i++) {
            d[i] -= o[i];
        }
        return d;
    }

    static float[] rows(TensorSource s, LoraTarget t) throws TensorFileException {
        float[] all = s.readFloats(t.checkpointKey());
        if (t.rowStart() < 0) {
            return all;
        }
        long[] shape = s.info(t.checkpointKey()).shape();
        int cols = (int) (all.length / shape[0]);
        return Arrays.copyOfRange(all, t.rowStart() * cols, t.rowEnd() * cols);
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
