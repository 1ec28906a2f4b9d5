package dev.bakehouse.lora.network;

/**
 * LoRA+ ({@code loraplus_lr_ratio}, {@code loraplus_unet_lr_ratio},
 * {@code loraplus_text_encoder_lr_ratio} in kohya's {@code network_args}): each part's
 * {@code lora_up} weights train in their own param group at lr x ratio. kohya picks a part's ratio
 * with Python's {@code or}, so a part ratio of 0 (falsy) falls back to {@code loraplus_lr_ratio}.
 * Null fields are unset.
 */
public record LoraPlusRatios(Double lrRatio, Double unetLrRatio, Double textEncoderLrRatio) {

    public static final LoraPlusRatios NONE = new LoraPlusRatios(null, null, null);

    public LoraPlusRatios {
        check("loraplus_lr_ratio", lrRatio);
        check("loraplus_unet_lr_ratio", unetLrRatio);
        check("loraplus_text_encoder_lr_ratio", textEncoderLrRatio);
    }

    /** The UNet's ratio ({@code loraplus_unet_lr_ratio or loraplus_lr_ratio}), or null for no LoRA+ group. */
    public Double unet() {
        return orElse(unetLrRatio, lrRatio);
    }

    /** The text encoder's ratio ({@code loraplus_text_encoder_lr_ratio or loraplus_lr_ratio}), or null. */
    public Double textEncoder() {
        return orElse(textEncoderLrRatio, lrRatio);
    }

    private static Double orElse(Double part, Double all) {
        return part != null && part != 0.0 ? part : all;
    }

    private static void check(String key, Double ratio) {
        if (ratio != null && !(ratio >= 0 && Double.isFinite(ratio))) {
            throw new IllegalArgumentException(key + ": expected a ratio of 0 or more, found " + ratio);
        }
    }
}
