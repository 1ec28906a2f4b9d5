package dev.bakehouse.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.bakehouse.model.nn.Attention;
import dev.bakehouse.model.nn.Derived;
import dev.bakehouse.model.nn.FusedProjection;
import dev.bakehouse.model.nn.Linear;
import dev.bakehouse.model.nn.ParamStore;
import java.util.List;

/**
 * Causal multi-head self-attention of a CLIP text layer, all projections with bias: transformers'
 * {@code self_attn.q_proj/k_proj/v_proj/out_proj}, fused here into one projection (adapters'
 * branches added to their slices), or OpenCLIP's {@code attn.in_proj_weight} that already stacks
 * q, k and v rows (nn.MultiheadAttention) and {@code attn.out_proj}. Axis letters: B batch, L tokens,
 * H heads, D head width.
 */
final class ClipAttention {
    private final int heads;
    private final long hidden;
    private final float scale;
    private final Derived fusedWeight;
    private final Derived fusedBias;
    private final Linear inProj;
    private final Linear outProj;
    private final List<Linear> qkvProj;

    ClipAttention(ParamStore store, String key, long hidden, int heads, boolean storedFused) {
        this.heads = heads;
        this.hidden = hidden;
        this.scale = (float) Math.pow((double) hidden / heads, -0.5);
        if (storedFused) {
            this.inProj = new Linear(store, key + ".in_proj_weight", key + ".in_proj_bias", hidden, 3 * hidden);
            this.qkvProj = List.of();
            this.fusedWeight = null;
            this.fusedBias = null;
        } else {
            Linear q = new Linear(store, key + ".q_proj", hidden, hidden, true);
            Linear k = new Linear(store, key + ".k_proj", hidden, hidden, true);
            Linear v = new Linear(store, key + ".v_proj", hidden, hidden, true);
            this.inProj = null;
            this.qkvProj = List.of(q, k, v);
            this.fusedWeight = new Derived(List.of(q.weight(), k.weight(), v.weight()),
                    w -> NDArrays.concat(new NDList(w.get(0), w.get(1), w.get(2)), 0));
            this.fusedBias = new Derived(List.of(q.bias(), k.bias(), v.bias()),
                    w -> NDArrays.concat(new NDList(w.get(0), w.get(1), w.get(2)), 0));
        }
        this.outProj = new Linear(store, key + ".out_proj", hidden, hidden, true);
    }

    /** x (B, L, hidden); causalMask (L, L) additive. */
    NDArray forward(NDArray x, NDArray causalMask) {
        long b = x.getShape().get(0);
        long l = x.getShape().get(1);
        NDArray projected = inProj != null ? inProj.forward(x) : FusedProjection.withAdapters(
                ai.djl.nn.core.Linear.linear(x, fusedWeight.get(), fusedBias.get()).singletonOrThrow(), x, qkvProj);
        NDList qkv = projected.reshape(b, l, 3, heads, hidden / heads).transpose(2, 0, 3, 1, 4).split(3, 0); // 3 x (1, B, H, L, D)
        NDArray o = Attention.attend(qkv.get(0), qkv.get(1), qkv.get(2), scale, causalMask);
        return outProj.forward(o.transpose(0, 1, 3, 2, 4).reshape(b, l, hidden));
    }
}
