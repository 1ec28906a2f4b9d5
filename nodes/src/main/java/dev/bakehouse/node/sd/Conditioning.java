package dev.bakehouse.node.sd;

import java.util.Objects;

/**
 * The CONDITIONING value: the text encoder's cross-attention context for one prompt, shape
 * (1, 77·rows, width), rows concatenated along the token axis as ComfyUI does for long prompts.
 *
 * @param context the encoded prompt
 */
public record Conditioning(HostTensor context) {
    public Conditioning {
        Objects.requireNonNull(context, "context");
        if (context.rank() != 3) {
            throw new IllegalArgumentException("CONDITIONING must be (batch, tokens, width), found " + context.shape());
        }
    }
}
