package dev.bakehouse.lora.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.lora.format.LayerKind;
import dev.bakehouse.lora.format.LbwBlock;
import dev.bakehouse.lora.format.LoraTarget;
import dev.bakehouse.model.nn.LayerAdapter;
import dev.bakehouse.model.nn.OwnedArrays;

/**
 * One trainable kohya {@code LoRAModule}: the branch {@code up(down(x)) * multiplier * alpha/rank}
 * added to a frozen Linear/Conv2d. down is the same kind of layer as the original (a 3x3 conv keeps
 * its stride and padding), up a Linear or 1x1 conv. The factors live in the network's manager and
 * carry gradients; every result of a forward lands in the input's (the caller's step) manager.
 * Dropouts act only while the network is training, with kohya's rescaling.
 */
public final class LoraLayer implements LayerAdapter {
    private static final Shape ONE = new Shape(1, 1);
    private static final Shape NONE = new Shape(0, 0);

    private final LoraTarget target;
    private final int rank;
    private final float alpha;
    private final NDArray down;
    private final NDArray up;
    private final int stride;
    private final int padding;
    private final TrainableLoraNetwork network;

    LoraLayer(LoraTarget target, int rank, float alpha, NDArray down, NDArray up, int stride, int padding,
              TrainableLoraNetwork network) {
        this.target = target;
        this.rank = rank;
        this.alpha = alpha;
        this.down = down;
        this.up = up;
        this.stride = stride;
        this.padding = padding;
        this.network = network;
    }

    /** kohya module name ({@code lora_unet_..._to_q}). */
    public String name() {
        return target.loraName();
    }

    public LoraTarget target() {
        return target;
    }

    public LbwBlock block() {
        return target.lbwBlock();
    }

    public boolean isTextEncoder() {
        return target.lbwBlock() == LbwBlock.BASE;
    }

    public int rank() {
        return rank;
    }

    /** alpha as kohya stores it (the 0-dim {@code .alpha} tensor). */
    public float alpha() {
        return alpha;
    }

    /** alpha / rank. */
    public float scale() {
        return alpha / rank;
    }

    /** lora_down weight: [rank, in] or [rank, in, k, k]; requires a gradient. */
    public NDArray down() {
        return down;
    }

    /** lora_up weight: [out, rank] or [out, rank, 1, 1]; requires a gradient. */
    public NDArray up() {
        return up;
    }

    @Override
    public NDArray delta(NDArray x) {
        TrainableLoraNetwork.Mode mode = network.mode();
        if (mode.training() && mode.moduleDropout() != null && mode.rng().nextFloat() < mode.moduleDropout()) {
            return null; // kohya: the whole module is skipped for this forward
        }
        NDArray lx = apply(x, down, stride, padding);
        NDManager m = lx.getManager();
        if (mode.training() && mode.networkDropout() != null && mode.networkDropout() > 0f) {
            lx = lx.mul(dropoutMask(m, lx.getShape(), mode));
        }
        float s = scale();
        if (mode.training() && mode.rankDropout() != null) {
            lx = lx.mul(rankMask(m, lx.getShape(), mode));
            s = s * (1f / (1f - mode.rankDropout())); // kohya: as if the rank had shrunk
        }
        return OwnedArrays.times(apply(lx, up, 1, 0), mode.multiplier() * s);
    }

    private NDArray apply(NDArray x, NDArray weight, int stride, int padding) {
        if (target.kind() == LayerKind.LINEAR) {
            return ai.djl.nn.core.Linear.linear(x, weight, null).singletonOrThrow();
        }
        Shape s = stride == 1 ? ONE : new Shape(stride, stride);
        Shape p = padding == 0 ? NONE : new Shape(padding, padding);
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, null, s, p, ONE, 1).singletonOrThrow();
    }

    /** torch.nn.functional.dropout: keep with 1-p, kept values scaled by 1/(1-p). */
    private static NDArray dropoutMask(NDManager m, Shape shape, TrainableLoraNetwork.Mode mode) {
        float p = mode.networkDropout();
        float keep = 1f / (1f - p);
        float[] mask = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = mode.rng().nextFloat() < p ? 0f : keep;
        }
        return OwnedArrays.of(m, mask, shape);
    }

    /**
     * kohya's rank dropout: one keep/drop per (sample, rank), broadcast over tokens (B, L, r) or
     * pixels (B, r, H, W).
     */
    private NDArray rankMask(NDManager m, Shape shape, TrainableLoraNetwork.Mode mode) {
        long batch = shape.get(0);
        float[] mask = new float[Math.toIntExact(batch * rank)];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = mode.rng().nextFloat() > mode.rankDropout() ? 1f : 0f;
        }
        Shape maskShape = switch (shape.dimension()) {
            case 3 -> new Shape(batch, 1, rank);
            case 4 -> new Shape(batch, rank, 1, 1);
            default -> new Shape(batch, rank);
        };
        return OwnedArrays.of(m, mask, maskShape);
    }
}
