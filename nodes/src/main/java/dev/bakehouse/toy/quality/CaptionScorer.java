package dev.bakehouse.toy.quality;

import dev.bakehouse.toy.world.Captions;
import dev.bakehouse.toy.world.SceneAnalyzer;
import dev.bakehouse.toy.world.SceneKind;
import dev.bakehouse.toy.world.WorldGenerator;
import dev.bakehouse.train.config.SamplePrompt;
import dev.bakehouse.train.run.SampleRenderer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Renders captions with a model and scores what the analyzer reads back. The captions are those of
 * generator scenes drawn from a seed range of their own ({@link #captions}), so they are scenes the
 * model may have seen in kind but not these exact ones.
 */
public final class CaptionScorer {
    /** Seeds of evaluation scenes start here: far from the pretraining's hashed seeds and small ones tests use. */
    public static final long EVALUATION_SEEDS = 7_000_000_000L;

    /**
     * How each caption is drawn.
     *
     * @param steps   sampling steps
     * @param cfg     classifier-free guidance scale
     * @param sampler kohya's {@code sample_sampler} name (e.g. {@code euler}, {@code euler_a}, {@code dpmsolver++})
     * @param size    image side in pixels
     */
    public record Settings(int steps, double cfg, String sampler, int size) {
        public Settings {
            if (steps < 1 || cfg <= 0 || size < 64 || size % 8 != 0) {
                throw new IllegalArgumentException("scoring settings: steps >= 1, cfg > 0 and a size >= 64, multiple"
                        + " of 8, expected; got steps " + steps + ", cfg " + cfg + ", size " + size);
            }
        }

        /** What the toy model's quality tests use: few steps, moderate guidance, 128 px. */
        public static Settings quick() {
            return new Settings(12, 5.0, "euler", WorldGenerator.DEFAULT_RESOLUTION);
        }
    }

    private final SceneAnalyzer analyzer = new SceneAnalyzer();
    private final SampleRenderer renderer;
    private final Settings settings;

    public CaptionScorer(SampleRenderer renderer, Settings settings) {
        this.renderer = renderer;
        this.settings = settings;
    }

    /** {@code count} captions of {@code kind} scenes, the same for every model and run. */
    public static List<String> captions(SceneKind kind, int count) {
        WorldGenerator generator = new WorldGenerator();
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(Captions.of(generator.generate(EVALUATION_SEEDS + i, kind).scene()));
        }
        return out;
    }

    /** Renders each caption once, caption i with seed {@code seed + i}. */
    public Scorecard score(List<String> captions, long seed) {
        return score(captions, seed, (row, image) -> { });
    }

    /**
     * As {@link #score(List, long)}, handing each row and its image to {@code each} (to save or
     * show them) as soon as it is scored.
     */
    public Scorecard score(List<String> captions, long seed, BiConsumer<Scorecard.Row, BufferedImage> each) {
        List<Scorecard.Row> rows = new ArrayList<>(captions.size());
        for (int i = 0; i < captions.size(); i++) {
            String caption = captions.get(i);
            long imageSeed = seed + i;
            SamplePrompt prompt = new SamplePrompt(i, caption, "", settings.size(), settings.size(), settings.steps(),
                    settings.cfg(), Optional.of(imageSeed), Optional.of(settings.sampler()));
            BufferedImage image = renderer.render(prompt, settings.sampler(), imageSeed, null);
            var found = analyzer.analyze(image);
            Scorecard.Row row = new Scorecard.Row(caption, imageSeed, found,
                    dev.bakehouse.toy.world.Agreement.of(Captions.parse(caption), found));
            rows.add(row);
            each.accept(row, image);
        }
        return new Scorecard(rows);
    }
}
