package dev.bakehouse.lora.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * ΔW of a kohya LoRA module (networks.lora LoRAModule, LierLa and C3Lier): up ∘ down laid out as
 * the target weight, times alpha/rank. Pure functions on arrays; results join up's manager.
 */
public final class LoraDelta {
    private LoraDelta() {}

    /** kohya's scale: alpha / rank, with a missing alpha meaning alpha = rank (scale 1). */
    public static float scale(Float alpha, long rank) {
        return alpha == null ? 1f : (float) (alpha / rank);
    }

    /**
     * up @ down as the target weight: linear up [out, r] down [r, in]; 1x1 conv up [out, r, 1, 1]
     * down [r, in, 1, 1]; 3x3 conv up [out, r, 1, 1] down [r, in, 3, 3] (ΔW[o,i,y,x] = Σ_r up[o,r]
     * down[r,i,y,x], the same as running the down conv then the 1x1 up conv). All three are one
     * matmul of the flattened factors.
     *
     * @throws IllegalArgumentException when the factors do not compose to {@code target}
     */
    public static NDArray compose(NDArray up, NDArray down, Shape target) {
        long out = up.getShape().get(0);
        long rank = down.getShape().get(0);
        if (up.getShape().size() != out * rank || out != target.get(0)
                || down.getShape().size() != rank * (target.size() / target.get(0))) {
            throw new IllegalArgumentException("lora_up " + up.getShape() + " and lora_down " + down.getShape()
                    + " do not compose to a weight of shape " + target);
        }
        return up.reshape(out, rank).matMul(down.reshape(rank, -1)).reshape(target);
    }

    /** strength * scale * compose(up, down, target). */
    public static NDArray delta(NDArray up, NDArray down, Shape target, float scale, float strength) {
        return compose(up, down, target).mul(scale * strength);
    }
}
