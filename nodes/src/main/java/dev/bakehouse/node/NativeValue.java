package dev.bakehouse.node;

/**
 * A value flowing between nodes that owns native memory (DJL tensors): a trained LoRA's live
 * network, latents or conditioning kept on the device. The executor closes it when no cached
 * result refers to it any more, so native memory is not left to the garbage collector, which
 * cannot see it. {@link #close()} must be idempotent.
 */
public interface NativeValue extends AutoCloseable {
    @Override
    void close();
}
