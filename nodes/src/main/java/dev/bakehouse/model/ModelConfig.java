package dev.bakehouse.model;

import dev.bakehouse.model.clip.TextEncoderConfig;
import dev.bakehouse.model.unet.UNetConfig;
import dev.bakehouse.model.vae.VaeConfig;
import java.util.List;

/**
 * The parts of an SD checkpoint as numbers; one code path builds every size. SD1/SD2 have one
 * text encoder; SDXL two (CLIP-L, then OpenCLIP bigG, sgm's embedder order) and a UNet that takes
 * the vector conditioning.
 */
public record ModelConfig(UNetConfig unet, List<TextEncoderConfig> textEncoders, VaeConfig vae) {
    public ModelConfig {
        textEncoders = List.copyOf(textEncoders);
        if (textEncoders.isEmpty() || textEncoders.size() > 2) {
            throw new IllegalArgumentException("ModelConfig: one or two text encoders, got " + textEncoders.size());
        }
        if (textEncoders.size() == 2 != unet.hasVectorConditioning()) {
            throw new IllegalArgumentException("ModelConfig: two text encoders go with a UNet that takes the vector "
                    + "conditioning (SDXL: adm_in_channels > 0); got " + textEncoders.size() + " encoder(s) and "
                    + "adm_in_channels " + unet.admInChannels());
        }
        if (textEncoders.size() == 2) {
            int context = textEncoders.get(0).hiddenSize() + textEncoders.get(1).hiddenSize();
            if (context != unet.contextDim()) {
                throw new IllegalArgumentException("ModelConfig: SDXL context_dim " + unet.contextDim()
                        + " must be the sum of the encoders' widths " + context);
            }
            if (textEncoders.get(1).projectionDim() < 1 || textEncoders.get(1).projectionDim() > unet.admInChannels()) {
                throw new IllegalArgumentException("ModelConfig: SDXL's second encoder needs a text_projection no wider than "
                        + "adm_in_channels " + unet.admInChannels() + ", got " + textEncoders.get(1).projectionDim());
            }
        }
    }

    /** A one-encoder model (SD1.x, SD2.x). */
    public ModelConfig(UNetConfig unet, TextEncoderConfig text, VaeConfig vae) {
        this(unet, List.of(text), vae);
    }

    /** The (first) text encoder. */
    public TextEncoderConfig text() {
        return textEncoders.get(0);
    }

    /** SDXL: two text encoders, pooled + size conditioning into {@code label_emb}. */
    public boolean isSdxl() {
        return textEncoders.size() == 2;
    }

    public static ModelConfig sd15() {
        return new ModelConfig(UNetConfig.sd15(), TextEncoderConfig.sd15(), VaeConfig.sd15());
    }

    /** SDXL base 1.0 ({@code sd_xl_base.yaml}): CLIP-L + OpenCLIP bigG, VAE scale 0.13025. */
    public static ModelConfig sdxl() {
        return new ModelConfig(UNetConfig.sdxl(), List.of(TextEncoderConfig.sd15(), TextEncoderConfig.openClipBigG()),
                VaeConfig.sd15().withScaleFactor(VaeConfig.SDXL_SCALE_FACTOR));
    }

    /** The conformance fixture's tiny SD1-structured model. */
    public static ModelConfig tiny() {
        return new ModelConfig(UNetConfig.tiny(), TextEncoderConfig.tiny(), VaeConfig.tiny());
    }

    /** The toy world's base model (see {@code dev.bakehouse.toy.pretrain}). */
    public static ModelConfig toy() {
        return new ModelConfig(UNetConfig.toy(), TextEncoderConfig.toy(), VaeConfig.toy());
    }
}
