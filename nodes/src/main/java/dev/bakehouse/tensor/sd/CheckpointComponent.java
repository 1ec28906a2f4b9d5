package dev.bakehouse.tensor.sd;

/**
 * The parts of a single-file (LDM/CompVis layout) Stable Diffusion checkpoint, by key prefix.
 * These prefixes are our internal naming: the model binds weights by these exact keys.
 */
public enum CheckpointComponent {
    UNET("model.diffusion_model."),
    /** SD1.x: transformers CLIPTextModel (ViT-L/14). */
    TEXT_ENCODER("cond_stage_model.transformer."),
    /** SD2.x: OpenCLIP ViT-H text tower. */
    TEXT_ENCODER_OPENCLIP("cond_stage_model.model."),
    /** SDXL first text encoder (CLIP ViT-L, transformers layout). */
    TEXT_ENCODER_SDXL_1("conditioner.embedders.0.transformer."),
    /** SDXL second text encoder (OpenCLIP ViT-bigG). */
    TEXT_ENCODER_SDXL_2("conditioner.embedders.1.model."),
    VAE("first_stage_model."),
    /** EMA copies of the UNet ({@code model_ema.diffusion_modelinput_blocks00weight}) and EMA counters. */
    EMA("model_ema."),
    /** Anything else: DDPM schedule buffers, {@code v_pred} markers, stray training state. */
    OTHER("");

    private final String prefix;

    CheckpointComponent(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public boolean isTextEncoder() {
        return this == TEXT_ENCODER || this == TEXT_ENCODER_OPENCLIP || this == TEXT_ENCODER_SDXL_1 || this == TEXT_ENCODER_SDXL_2;
    }

    /** The component a single-file key belongs to. */
    public static CheckpointComponent of(String key) {
        for (CheckpointComponent c : values()) {
            if (c != OTHER && key.startsWith(c.prefix)) {
                return c;
            }
        }
        return OTHER;
    }
}
