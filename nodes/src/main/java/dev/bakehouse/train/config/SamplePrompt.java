package dev.bakehouse.train.config;

import java.util.Optional;

/**
 * One sample prompt in kohya's terms, with kohya's sampling defaults filled in where the prompt
 * leaves them out ({@code sample_image_inference}: 512x512, 30 steps, CFG 7.5, random seed,
 * {@code --sample_sampler}).
 *
 * @param index   position in the file, used to name the sample images (kohya's {@code enum})
 * @param sampler {@code --ss}; empty means {@code --sample_sampler}
 */
public record SamplePrompt(int index, String prompt, String negativePrompt, int width, int height, int steps, double scale,
        Optional<Long> seed, Optional<String> sampler) {
    public static final int DEFAULT_SIZE = 512;
    public static final int DEFAULT_STEPS = 30;
    public static final double DEFAULT_SCALE = 7.5;
}
