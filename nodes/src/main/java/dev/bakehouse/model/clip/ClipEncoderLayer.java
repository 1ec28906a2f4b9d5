package dev.bakehouse.model.clip;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.model.nn.Activations;
import dev.bakehouse.model.nn.LayerNorm;
import dev.bakehouse.model.nn.Linear;
import dev.bakehouse.model.nn.ParamStore;
import dev.bakehouse.model.nn.Scope;

/**
 * CLIPEncoderLayer ({@code encoder.layers.N}) or OpenCLIP's ResidualAttentionBlock
 * ({@code transformer.resblocks.N}): pre-LN causal self-attention and MLP, residual.
 */
final class ClipEncoderLayer {
    private final LayerNorm layerNorm1;
    private final ClipAttention selfAttn;
    private final LayerNorm layerNorm2;
    private final Linear fc1;
    private final Linear fc2;
    private final boolean quickGelu;

    ClipEncoderLayer(ParamStore store, TextEncoderConfig cfg, TextKeys.Layer keys) {
        long d = cfg.hiddenSize();
        this.layerNorm1 = new LayerNorm(store, keys.layerNorm1(), d, cfg.layerNormEps());
        this.selfAttn = new ClipAttention(store, keys.attention(), d, cfg.numAttentionHeads(), keys.fusedQkv());
        this.layerNorm2 = new LayerNorm(store, keys.layerNorm2(), d, cfg.layerNormEps());
        this.fc1 = new Linear(store, keys.fc1(), d, cfg.intermediateSize(), true);
        this.fc2 = new Linear(store, keys.fc2(), cfg.intermediateSize(), d, true);
        this.quickGelu = cfg.hiddenAct().equals("quick_gelu");
    }

    NDArray forward(NDArray x, NDArray causalMask) {
        return Scope.run(x, in -> {
            NDArray h = in.add(selfAttn.forward(layerNorm1.forward(in), causalMask));
            NDArray a = fc1.forward(layerNorm2.forward(h));
            a = quickGelu ? Activations.quickGelu(a) : Activations.gelu(a);
            return h.add(fc2.forward(a));
        });
    }
}
