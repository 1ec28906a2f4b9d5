package dev.bakehouse.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.bakehouse.model.nn.Activations;
import dev.bakehouse.model.nn.LayerNorm;
import dev.bakehouse.model.nn.Linear;
import dev.bakehouse.model.nn.ParamStore;

/**
 * LDM BasicTransformerBlock ({@code transformer_blocks.N}): pre-LN self-attention, cross-attention
 * and a GEGLU feed-forward, each added to the residual stream.
 */
final class BasicTransformerBlock {
    private final LayerNorm norm1;
    private final CrossAttention attn1;
    private final LayerNorm norm2;
    private final CrossAttention attn2;
    private final LayerNorm norm3;
    private final Linear ffProj;
    private final Linear ffOut;

    BasicTransformerBlock(ParamStore store, UNetConfig cfg, String key, long channels, int heads) {
        double eps = cfg.layerNormEps();
        this.norm1 = new LayerNorm(store, key + ".norm1", channels, eps);
        this.attn1 = new CrossAttention(store, key + ".attn1", channels, channels, heads, true);
        this.norm2 = new LayerNorm(store, key + ".norm2", channels, eps);
        this.attn2 = new CrossAttention(store, key + ".attn2", channels, cfg.contextDim(), heads, false);
        this.norm3 = new LayerNorm(store, key + ".norm3", channels, eps);
        this.ffProj = new Linear(store, key + ".ff.net.0.proj", channels, 8 * channels, true);
        this.ffOut = new Linear(store, key + ".ff.net.2", 4 * channels, channels, true);
    }

    /** x (B, L, C), context (B, S, context_dim). */
    NDArray forward(NDArray x, NDArray context) {
        NDArray h = x.add(attn1.forward(norm1.forward(x), null));
        h = h.add(attn2.forward(norm2.forward(h), context));
        return h.add(geglu(norm3.forward(h)));
    }

    /** GEGLU: the projection's first half is the value, its second half the (erf-GELU) gate. */
    private NDArray geglu(NDArray x) {
        NDList valueGate = ffProj.forward(x).split(2, 2);
        return ffOut.forward(valueGate.get(0).mul(Activations.gelu(valueGate.get(1))));
    }
}
