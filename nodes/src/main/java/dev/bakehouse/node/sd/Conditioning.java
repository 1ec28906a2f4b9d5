package dev.bakehouse.node.sd;

import dev.bakehouse.model.conditioning.SizeConditioning;
import java.util.Objects;

/**
 * The CONDITIONING value: the text encoder's cross-attention context for one prompt, shape
 * (1, 77·rows, width), rows concatenated along the token axis as ComfyUI does for long prompts;
 * for SDXL also ComfyUI's {@code pooled_output} and, from {@code CLIPTextEncodeSDXL}, its size and
 * crop numbers.
 *
 * @param context the encoded prompt
 * @param pooled  SDXL: the bigG pooled projection (1, projection_dim); null for SD1/SD2
 * @param size    SDXL: width/height, crop, target size; null for ComfyUI's defaults at sampling
 *                ({@link #DEFAULT_SDXL_SIZE}: 768 x 768, no crop, target = size)
 */
public record Conditioning(HostTensor context, HostTensor pooled, SizeConditioning size) {
    /** ComfyUI's {@code SDXL.encode_adm} defaults when a conditioning carries no size. */
    public static final SizeConditioning DEFAULT_SDXL_SIZE = SizeConditioning.uncropped(768, 768);

    public Conditioning {
        Objects.requireNonNull(context, "context");
        if (context.rank() != 3) {
            throw new IllegalArgumentException("CONDITIONING must be (batch, tokens, width), found " + context.shape());
        }
        if (pooled != null && pooled.rank() != 2) {
            throw new IllegalArgumentException("CONDITIONING pooled_output must be (batch, width), found " + pooled.shape());
        }
        if (size != null && pooled == null) {
            throw new IllegalArgumentException("CONDITIONING: SDXL size numbers need a pooled_output");
        }
    }

    /** An SD1/SD2 conditioning: the context alone. */
    public Conditioning(HostTensor context) {
        this(context, null, null);
    }

    /** The size numbers the UNet sees: this conditioning's, or ComfyUI's defaults. */
    public SizeConditioning sizeOrDefault() {
        return size != null ? size : DEFAULT_SDXL_SIZE;
    }
}
