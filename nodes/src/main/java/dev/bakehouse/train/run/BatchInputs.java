package dev.bakehouse.train.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.model.tokenizer.KohyaRows;
import dev.bakehouse.model.tokenizer.TokenRows;
import dev.bakehouse.model.vae.VaePosterior;
import dev.bakehouse.train.data.Augmentation;
import dev.bakehouse.train.data.DreamBoothDataset;
import dev.bakehouse.train.data.EpochIterator;
import dev.bakehouse.train.data.ImageFiles;
import dev.bakehouse.train.data.ImageTransform;
import dev.bakehouse.train.data.LatentCache;
import dev.bakehouse.train.data.LossMasks;
import dev.bakehouse.train.data.Size;
import dev.bakehouse.train.noise.SeededDraws;
import dev.bakehouse.train.text.ChunkedTextEncoding;
import dev.bakehouse.train.text.TextOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Turns a batch of dataset images and captions into what the UNet step needs: latents (kohya's
 * {@code vae.encode(images).latent_dist.sample() * scale_factor}, from the cache when
 * {@code cache_latents}) and the text-encoder context of the processed captions (chunked for
 * {@code max_token_length}, {@code clip_skip} applied).
 */
final class BatchInputs {
    private final StableDiffusion model;
    private final ClipTokenizer tokenizer;
    private final DreamBoothDataset dataset;
    private final TextOptions text;
    private final LatentCache cache;
    private final StepSeeds seeds;
    /** {@code cache_text_encoder_outputs}: the context of each caption, computed once (frozen encoder). */
    private final java.util.Map<String, float[]> contexts;
    /** The masked loss's masks, or null without one. */
    private final LossMasks masks;

    /**
     * @param cacheDir where {@code cache_latents_to_disk} keeps latents, or null for memory only;
     *                 ignored unless {@code cacheLatents}
     */
    BatchInputs(StableDiffusion model, ClipTokenizer tokenizer, DreamBoothDataset dataset, TextOptions text,
                boolean cacheLatents, Path cacheDir, String vaeIdentity, StepSeeds seeds) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.dataset = dataset;
        this.text = text;
        this.seeds = seeds;
        this.cache = cacheLatents ? new LatentCache(cacheDir, vaeIdentity, this::encodeForCache) : null;
        this.contexts = null;
        this.masks = null;
    }

    private BatchInputs(BatchInputs base, boolean cacheTextEncoderOutputs, LossMasks masks) {
        this.model = base.model;
        this.tokenizer = base.tokenizer;
        this.dataset = base.dataset;
        this.text = base.text;
        this.seeds = base.seeds;
        this.cache = base.cache;
        this.contexts = cacheTextEncoderOutputs ? new java.util.HashMap<>() : null;
        this.masks = masks;
    }

    /**
     * These inputs with kohya's {@code cache_text_encoder_outputs}: each caption is encoded once and
     * its context reused. Only valid when the text encoder does not train and captions do not vary
     * per step (the option checks refuse the other cases before training).
     */
    BatchInputs cachingTextEncoderOutputs(boolean enabled) {
        return enabled ? new BatchInputs(this, true, masks) : this;
    }

    /**
     * These inputs with kohya's masked loss: {@link #encode} also returns each batch's loss mask.
     * Every image's mask is checked first (one error naming each missing or unreadable mask).
     */
    BatchInputs withLossMasks(LossMasks lossMasks) {
        if (lossMasks == null) {
            return this;
        }
        lossMasks.check(dataset.registered());
        return new BatchInputs(this, contexts != null, lossMasks);
    }

    /** A batch's latents and, with a masked loss, its (B, 1, h, w) loss mask (else null). */
    record Encoded(NDArray latents, NDArray mask) {}

    /** (B, 4, h, w) latents of the batch in {@code step}, scaled by the VAE's scale factor. */
    NDArray latents(EpochIterator.Batch batch, NDManager step, long microBatch) {
        return encode(batch, step, microBatch).latents();
    }

    /** The batch's latents (as {@link #latents}) and its loss mask, drawn with the same crops and flips. */
    Encoded encode(EpochIterator.Batch batch, NDManager step, long microBatch) {
        Size size = batch.bucket();
        int h = size.height() / model.config().vae().downscaleFactor();
        int w = size.width() / model.config().vae().downscaleFactor();
        int channels = (int) model.config().vae().embedDim();
        List<EpochIterator.Sample> samples = batch.samples();
        Size[] crops = new Size[samples.size()];
        boolean[] flipped = new boolean[samples.size()];
        if (cache != null) {
            SplittableRandom flips = new SplittableRandom(seeds.of(StepSeeds.Purpose.IMAGE_AUGMENTATION, microBatch));
            float[] all = new float[samples.size() * channels * h * w];
            for (int i = 0; i < samples.size(); i++) {
                Augmentation aug = augmentation(samples.get(i));
                boolean flip = aug.flipAug() && flips.nextBoolean();
                crops[i] = samples.get(i).image().bucket().centerCropLeftTop();
                flipped[i] = flip;
                try {
                    LatentCache.Latent l = cache.get(samples.get(i).image(), flip);
                    System.arraycopy(l.values(), 0, all, i * channels * h * w, channels * h * w);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + samples.get(i).image().path() + ": " + e.getMessage(), e);
                }
            }
            return new Encoded(OwnedArrays.of(step, all, new Shape(samples.size(), channels, h, w)),
                    mask(samples, crops, flipped, h, w, step));
        }
        Random rnd = new Random(seeds.of(StepSeeds.Purpose.IMAGE_AUGMENTATION, microBatch));
        float[] pixels = new float[samples.size() * 3 * size.height() * size.width()];
        int per = 3 * size.height() * size.width();
        for (int i = 0; i < samples.size(); i++) {
            EpochIterator.Sample s = samples.get(i);
            try {
                ImageTransform.Result r = ImageTransform.apply(ImageFiles.read(s.image().path()), s.image().bucket(),
                        augmentation(s), rnd);
                System.arraycopy(r.chw(), 0, pixels, i * per, per);
                crops[i] = r.cropLeftTop();
                flipped[i] = r.flipped();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + s.image().path() + ": " + e.getMessage(), e);
            }
        }
        try (NDArray images = step.create(pixels, new Shape(samples.size(), 3, size.height(), size.width()))) {
            return new Encoded(encode(images, new SeededDraws(seeds.of(StepSeeds.Purpose.VAE_SAMPLE, microBatch)), step),
                    mask(samples, crops, flipped, h, w, step));
        }
    }

    private NDArray mask(List<EpochIterator.Sample> samples, Size[] crops, boolean[] flipped, int h, int w,
                         NDManager step) {
        if (masks == null) {
            return null;
        }
        float[] all = new float[samples.size() * h * w];
        for (int i = 0; i < samples.size(); i++) {
            try {
                float[] m = masks.latentMask(samples.get(i).image(), crops[i], flipped[i], h, w);
                System.arraycopy(m, 0, all, i * h * w, h * w);
            } catch (IOException e) {
                throw new UncheckedIOException("masked loss: " + e.getMessage(), e);
            }
        }
        return OwnedArrays.of(step, all, new Shape(samples.size(), 1, h, w));
    }

    private Augmentation augmentation(EpochIterator.Sample s) {
        return dataset.subsets().get(s.image().subsetIndex()).subset().augmentation();
    }

    /**
     * kohya encodes every image before the first step when caching latents (both flips with
     * {@code flip_aug}), so a broken image or a VAE problem shows up front and steps are even.
     *
     * @return how many latents were encoded or read
     */
    int precacheLatents() {
        if (cache == null) {
            return 0;
        }
        int count = 0;
        for (var entry : dataset.registered()) {
            boolean flip = dataset.subsets().get(entry.subsetIndex()).subset().augmentation().flipAug();
            try {
                cache.get(entry, false);
                count++;
                if (flip) {
                    cache.get(entry, true);
                    count++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot cache the latent of " + entry.path() + ": " + e.getMessage(), e);
            }
        }
        return count;
    }

    /** The posterior sample times the scale factor, as kohya trains on. */
    private NDArray encode(NDArray images, SeededDraws draws, NDManager into) {
        try (NDManager scope = into.newSubManager()) {
            images.tempAttach(scope);
            VaePosterior p = model.vae().encode(images);
            NDArray eps = draws.normal(scope, p.mean().getShape());
            NDArray std = p.logvar().mul(0.5f).exp();
            NDArray z = p.mean().add(std.mul(eps)).mul((float) model.config().vae().scaleFactor());
            z.attach(into);
            return z;
        }
    }

    /**
     * The cache's encoder: one image, its posterior sampled with a seed taken from its pixels, so
     * the cached latent is the same in every run (kohya caches one sample too).
     */
    private LatentCache.Latent encodeForCache(float[] chw, int height, int width) {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray image = scope.create(chw, new Shape(1, 3, height, width));
            long seed = seeds.of(StepSeeds.Purpose.VAE_SAMPLE, java.util.Arrays.hashCode(chw));
            NDArray z = encode(image, new SeededDraws(seed), scope);
            long[] s = z.getShape().getShape();
            return new LatentCache.Latent(new int[] {(int) s[1], (int) s[2], (int) s[3]}, z.toFloatArray());
        }
    }

    /**
     * The captions of the batch after kohya's caption processing.
     *
     * @param epoch      the 0-based epoch of the run; kohya's {@code current_epoch} is this + 1 (its
     *                   data loader also shows epoch 0 to the very first samples, an artifact not reproduced)
     * @param globalStep kohya's {@code current_step}: optimizer steps done before this batch
     */
    List<String> captions(EpochIterator.Batch batch, int epoch, long globalStep, int maxTrainSteps, long microBatch) {
        return EpochIterator.captions(dataset, batch,
                new dev.bakehouse.train.data.CaptionProcessor.Context(epoch + 1, (int) globalStep, maxTrainSteps),
                dev.bakehouse.train.data.CaptionRandom.seeded(seeds.of(StepSeeds.Purpose.CAPTIONS, microBatch)));
    }

    /**
     * The UNet context (B, 77 or 75n+2, D). Run it inside the gradient collector when the text
     * encoder trains, outside otherwise (no graph is kept for a frozen encoder).
     */
    NDArray context(List<String> captions, NDManager step) {
        return contexts != null ? cachedContext(captions, step) : encode(captions, step);
    }

    private NDArray cachedContext(List<String> captions, NDManager step) {
        List<NDArray> parts = new ArrayList<>(captions.size());
        for (String caption : captions) {
            float[] values = contexts.get(caption);
            if (values == null) {
                try (NDManager scope = step.newSubManager()) {
                    NDArray one = encode(List.of(caption), scope);
                    values = one.toFloatArray();
                }
                contexts.put(caption, values);
            }
            long width = model.config().text().hiddenSize();
            parts.add(OwnedArrays.of(step, values, new Shape(1, values.length / width, width)));
        }
        return ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(parts), 0);
    }

    private NDArray encode(List<String> captions, NDManager step) {
        List<TokenRows> rows = new ArrayList<>(captions.size());
        for (String c : captions) {
            rows.add(KohyaRows.rows(c, tokenizer, text.tokenLength()));
        }
        NDArray ids = ChunkedTextEncoding.ids(step, rows);
        return ChunkedTextEncoding.encode(model.textEncoder(), ids, text.clipSkipOrLast());
    }
}
