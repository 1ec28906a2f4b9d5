package dev.bakehouse.model;

import dev.bakehouse.model.clip.TextEncoderConfig;
import dev.bakehouse.model.unet.UNetConfig;
import dev.bakehouse.model.vae.VaeConfig;

/** The three parts of an SD checkpoint as numbers; one code path builds every size. */
public record ModelConfig(UNetConfig unet, TextEncoderConfig text, VaeConfig vae) {
    public static ModelConfig sd15() {
        return new ModelConfig(UNetConfig.sd15(), TextEncoderConfig.sd15(), VaeConfig.sd15());
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
