package dev.bakehouse.model.vae;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.model.nn.Constants;
import dev.bakehouse.model.nn.ParamStore;
import dev.bakehouse.model.nn.Scope;

/** The encoder's and decoder's {@code mid}: block_1, attn_1, block_2 at the deepest level. */
final class VaeMidBlock {
    private final VaeResnetBlock block1;
    private final VaeAttention attn1;
    private final VaeResnetBlock block2;

    VaeMidBlock(ParamStore store, Constants constants, VaeConfig cfg, String key, long channels) {
        this.block1 = new VaeResnetBlock(store, constants, cfg, key + ".block_1", channels, channels);
        this.attn1 = new VaeAttention(store, constants, cfg, key + ".attn_1", channels);
        this.block2 = new VaeResnetBlock(store, constants, cfg, key + ".block_2", channels, channels);
    }

    /** Closes each intermediate, and {@code h} too unless it is {@code input}. */
    NDArray forward(NDArray h, NDArray input) {
        NDArray x = Scope.advance(h, input, block1::forward);
        x = Scope.advance(x, input, attn1::forward);
        return Scope.advance(x, input, block2::forward);
    }
}
