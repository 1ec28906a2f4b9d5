package dev.bakehouse.lora.ops;

import dev.bakehouse.lora.format.LoraKind;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraTensor;
import dev.bakehouse.tensor.DType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a truncated SVD of a (flattened) weight into kohya {@code lora_up}/{@code lora_down}
 * factors the way sd-scripts' extract and svd-merge scripts do: {@code up = U·diag(S)},
 * {@code down = Vᵀ}, both clamped to ±(the {@code clamp_quantile} quantile of their joined values).
 * As in kohya the bound is the signed quantile used symmetrically, so quantile 1 still clips a
 * negative value whose magnitude exceeds the largest positive one; {@code null} means no clamp.
 */
public final class LoraFactors {
    private LoraFactors() {}

    /** up (rows x k) and down (k x cols), row-major. */
    public record Factors(float[] up, float[] down, int rank) {}

    public static Factors of(TruncatedSvd svd, Double clampQuantile) {
        int k = svd.rank();
        float[] up = new float[svd.rows() * k];
        for (int i = 0; i < svd.rows(); i++) {
            for (int j = 0; j < k; j++) {
                up[i * k + j] = svd.u()[i * k + j] * svd.s()[j];
            }
        }
        float[] down = svd.vt().clone();
        if (clampQuantile != null) {
            if (!(clampQuantile > 0 && clampQuantile <= 1)) {
                throw new IllegalArgumentException("clamp_quantile must be in (0, 1], got " + clampQuantile);
            }
            float hi = quantile(up, down, clampQuantile);
            clamp(up, -hi, hi);
            clamp(down, -hi, hi);
        }
        return new Factors(up, down, k);
    }

    /** torch.quantile's default ('linear') of the values of both arrays. */
    static float quantile(float[] a, float[] b, double q) {
        float[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.sort(all);
        double pos = q * (all.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(all.length - 1, lo + 1);
        return (float) (all[lo] + (all[hi] - all[lo]) * (pos - lo));
    }

    private static void clamp(float[] a, float lo, float hi) {
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.max(lo, Math.min(hi, a[i]));
        }
    }

    /**
     * A kohya LoRA module for a weight of {@code targetShape} (linear [out, in] or conv
     * [out, in, kh, kw]): up [out, k(, 1, 1)], down [k, in(, kh, kw)], a 0-dim alpha.
     */
    public static LoraModule module(String name, long[] targetShape, Factors f, float alpha, DType dtype) {
        int k = f.rank();
        long[] upShape = targetShape.length == 4 ? new long[] {targetShape[0], k, 1, 1} : new long[] {targetShape[0], k};
        long[] downShape = targetShape.clone();
        downShape[0] = k;
        Map<String, LoraTensor> tensors = new LinkedHashMap<>();
        tensors.put("lora_up.weight", new LoraTensor(dtype, upShape, f.up()));
        tensors.put("lora_down.weight", new LoraTensor(dtype, downShape, f.down()));
        tensors.put("alpha", new LoraTensor(dtype, new long[0], new float[] {alpha}));
        return new LoraModule(name, LoraKind.LORA, tensors);
    }
}
