package dev.bakehouse.model.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.nn.Attention;
import dev.bakehouse.model.nn.Constants;
import dev.bakehouse.model.nn.Conv2d;
import dev.bakehouse.model.nn.Derived;
import dev.bakehouse.model.nn.GroupNorm;
import dev.bakehouse.model.nn.ParamStore;
import dev.bakehouse.model.nn.Scope;
import java.util.List;

/**
 * LDM AttnBlock ({@code mid.attn_1.norm, q, k, v, proj_out}; q/k/v/proj_out are 1x1 convs): one head
 * over the H*W positions, scale C^-0.5, plus the input. q/k/v are fused into one 1x1 conv.
 */
final class VaeAttention {
    private final long channels;
    private final GroupNorm norm;
    private final Derived qkvWeight;
    private final Derived qkvBias;
    private final Conv2d projOut;

    VaeAttention(ParamStore store, Constants constants, VaeConfig cfg, String key, long channels) {
        this.channels = channels;
        this.norm = new GroupNorm(store, constants, key + ".norm", cfg.normNumGroups(), channels, cfg.normEps());
        Conv2d q = Conv2d.same(store, key + ".q", channels, channels, 1);
        Conv2d k = Conv2d.same(store, key + ".k", channels, channels, 1);
        Conv2d v = Conv2d.same(store, key + ".v", channels, channels, 1);
        this.projOut = Conv2d.same(store, key + ".proj_out", channels, channels, 1);
        this.qkvWeight = new Derived(List.of(q.weight(), k.weight(), v.weight()),
                w -> {
                    try (NDArray stacked = NDArrays.concat(new NDList(w.get(0), w.get(1), w.get(2)), 0)) {
                        return stacked.reshape(3 * channels, channels); // a view: outlives the closed handle
                    }
                });
        this.qkvBias = new Derived(List.of(q.bias(), k.bias(), v.bias()),
                w -> NDArrays.concat(new NDList(w.get(0), w.get(1), w.get(2)), 0));
    }

    NDArray forward(NDArray x) {
        return Scope.run(x, in -> {
            Shape s = in.getShape(); // (B, C, H, W)
            long b = s.get(0);
            NDArray tokens = norm.forward(in).reshape(b, channels, -1).transpose(0, 2, 1); // (B, HW, C)
            NDList qkv = ai.djl.nn.core.Linear.linear(tokens, qkvWeight.get(), qkvBias.get()).singletonOrThrow()
                    .split(3, 2); // 3 x (B, HW, C)
            float scale = (float) Math.pow(channels, -0.5);
            NDArray o = Attention.attend(qkv.get(0), qkv.get(1), qkv.get(2), scale, null);
            return projOut.forward(o.transpose(0, 2, 1).reshape(s)).add(in);
        });
    }
}
