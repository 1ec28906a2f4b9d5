package dev.bakehouse.model.unet;

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
 * LDM CrossAttention ({@code attn1} self, {@code attn2} cross): to_q/to_k/to_v without bias,
 * to_out.0 with bias, {@code heads} heads of width C/heads, scale head_dim^-0.5.
 * Projections that read the same input are fused into one matmul (exact: rows are independent),
 * adapters' branches added to their slices of the fused output.
 *
 * <p>Axis letters: B batch, L query tokens, S context tokens, H heads, D head width, C = H*D.
 */
final class CrossAttention {
    private final int heads;
    private final long channels;
    private final float scale;
    private final boolean self;
    private final Linear toQ;
    private final Linear toK;
    private final Linear toV;
    private final Linear toOut;
    private final Derived fusedQkv;
    private final Derived fusedKv;

    CrossAttention(ParamStore store, String key, long channels, long contextDim, int heads, boolean self) {
        this.heads = heads;
        this.channels = channels;
        this.scale = (float) Math.pow((double) channels / heads, -0.5);
        this.self = self;
        long kvIn = self ? channels : contextDim;
        this.toQ = new Linear(store, key + ".to_q", channels, channels, false);
        this.toK = new Linear(store, key + ".to_k", kvIn, channels, false);
        this.toV = new Linear(store, key + ".to_v", kvIn, channels, false);
        this.toOut = new Linear(store, key + ".to_out.0", channels, channels, true);
        this.fusedQkv = new Derived(List.of(toQ.weight(), toK.weight(), toV.weight()),
                w -> NDArrays.concat(new NDList(w.get(0), w.get(1), w.get(2)), 0));
        this.fusedKv = new Derived(List.of(toK.weight(), toV.weight()),
                w -> NDArrays.concat(new NDList(w.get(0), w.get(1)), 0));
    }

    /** x (B, L, C); context (B, S, context_dim), ignored for self-attention. */
    NDArray forward(NDArray x, NDArray context) {
        long b = x.getShape().get(0);
        long l = x.getShape().get(1);
        long d = channels / heads;
        NDArray q;
        NDArray k;
        NDArray v;
        if (self) {
            NDList qkv = FusedProjection.withAdapters(linear(x, fusedQkv.get()), x, List.of(toQ, toK, toV)).reshape(b, l, 3, heads, d).transpose(2, 0, 3, 1, 4).split(3, 0);
            q = qkv.get(0); // (1, B, H, L, D)
            k = qkv.get(1);
            v = qkv.get(2);
        } else {
            long s = context.getShape().get(1);
            q = toQ.forward(x).reshape(b, l, 1, heads, d).transpose(2, 0, 3, 1, 4); // (1, B, H, L, D)
            NDList kv = FusedProjection.withAdapters(linear(context, fusedKv.get()), context, List.of(toK, toV)).reshape(b, s, 2, heads, d).transpose(2, 0, 3, 1, 4).split(2, 0);
            k = kv.get(0); // (1, B, H, S, D)
            v = kv.get(1);
        }
        NDArray o = Attention.attend(q, k, v, scale, null); // (1, B, H, L, D)
        return toOut.forward(o.transpose(0, 1, 3, 2, 4).reshape(b, l, channels));
    }

    private static NDArray linear(NDArray x, NDArray weight) {
        return ai.djl.nn.core.Linear.linear(x, weight, null).singletonOrThrow();
    }
}
