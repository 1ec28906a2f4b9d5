package dev.bakehouse.train.data;

/**
 * A subset's caption options under kohya's names and defaults ({@code config_util} subset
 * defaults): {@code shuffle_caption}, {@code caption_separator}, {@code keep_tokens},
 * {@code keep_tokens_separator}, {@code secondary_separator}, {@code enable_wildcard},
 * {@code caption_prefix}, {@code caption_suffix}, {@code caption_dropout_rate},
 * {@code caption_dropout_every_n_epochs}, {@code caption_tag_dropout_rate},
 * {@code token_warmup_min}, {@code token_warmup_step} (a count, or a fraction of
 * {@code max_train_steps} when below 1). Null strings mean "not set".
 */
public record CaptionOptions(
        boolean shuffleCaption,
        String captionSeparator,
        int keepTokens,
        String keepTokensSeparator,
        String secondarySeparator,
        boolean enableWildcard,
        String captionPrefix,
        String captionSuffix,
        double captionDropoutRate,
        int captionDropoutEveryNEpochs,
        double captionTagDropoutRate,
        int tokenWarmupMin,
        double tokenWarmupStep) {

    public CaptionOptions {
        if (captionSeparator == null || captionSeparator.isEmpty()) {
            throw new IllegalArgumentException("caption_separator: expected a non-empty string, found \""
                    + captionSeparator + "\"");
        }
        if (keepTokens < 0) {
            throw new IllegalArgumentException("keep_tokens: expected 0 or more, found " + keepTokens);
        }
        rate("caption_dropout_rate", captionDropoutRate);
        rate("caption_tag_dropout_rate", captionTagDropoutRate);
        if (captionDropoutEveryNEpochs < 0) {
            throw new IllegalArgumentException("caption_dropout_every_n_epochs: expected 0 or more, found "
                    + captionDropoutEveryNEpochs);
        }
        if (tokenWarmupStep < 0) {
            throw new IllegalArgumentException("token_warmup_step: expected 0 or more, found " + tokenWarmupStep);
        }
    }

    public static CaptionOptions defaults() {
        return new CaptionOptions(false, ",", 0, "", null, false, null, null, 0.0, 0, 0.0, 1, 0);
    }

    /** True when kohya takes the token path (split, keep, warm-up, shuffle, tag dropout). */
    public boolean tokenPath() {
        return shuffleCaption || tokenWarmupStep > 0 || captionTagDropoutRate > 0;
    }

    /** Whether a cached text-encoder output would be wrong: the caption changes per sample. */
    public boolean variesPerSample() {
        return captionDropoutRate > 0 || tokenPath() || enableWildcard;
    }

    private static void rate(String option, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(option + ": expected a rate in [0, 1], found " + v);
        }
    }
}
