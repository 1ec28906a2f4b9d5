package dev.bakehouse.model.unet;

import ai.djl.ndarray.NDArray;

/** One layer of an LDM {@code TimestepEmbedSequential}: sees the activation, silu(emb) and the context. */
interface UNetLayer {
    /**
     * @param x       (B, C, H, W)
     * @param embSilu (B, time_embed_dim): silu of the time embedding, computed once per forward
     * @param context (B, L, context_dim)
     */
    NDArray forward(NDArray x, NDArray embSilu, NDArray context);
}
