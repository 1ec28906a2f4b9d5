package dev.bakehouse.toy.pretrain;

import ai.djl.pytorch.jni.JniUtils;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.ModelConfig;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.TensorSourceWeights;
import dev.bakehouse.model.WeightSource;
import dev.bakehouse.model.clip.ClipTextModel;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.model.unet.UNet2DCondition;
import dev.bakehouse.model.vae.AutoencoderKL;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.toy.pretrain.PretrainListener.Phase;
import dev.bakehouse.toy.world.SceneKind;
import dev.bakehouse.toy.world.WorldGenerator;
import dev.bakehouse.train.log.TrainingLog;
import dev.bakehouse.train.optim.OptimizerStateFile;
import dev.bakehouse.train.optim.ParamGroup;
import dev.bakehouse.train.schedule.LrSchedule;
import dev.bakehouse.train.schedule.LrSchedules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * {@code bakehouse pretrain-toy}: the toy base model from random weights, in phases — the VAE on
 * generated scenes, the latent cache of held-in scenes, then text encoder and UNet together — and
 * the result as {@value #CHECKPOINT} with its sidecar config.
 *
 * <p>Everything random is a function of the seed and the step ({@link PhaseSeeds}), and progress
 * (fp32 weights, AdamW state, {@code progress.json}) is saved every {@code saveEvery} steps, at each
 * phase's end and when the run is stopped or its time budget is spent; a resumed run continues the
 * same computation. Output directory layout: {@code progress/}, {@code vae_log.csv},
 * {@code diffusion_log.csv}, {@value #CHECKPOINT}, {@code toy-sd1.config.json}.
 */
public final class ToyPretrainer {
    public static final String CHECKPOINT = "toy-sd1.safetensors";
    static final String PROGRESS_DIR = "progress";
    static final String WEIGHTS = "weights.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String LATENTS = "latents.safetensors";
    private static final int ENCODE_CHUNK = 32;

    /**
     * @param budgetNanos wall time after which the run saves its progress and stops (0 = none)
     * @param nanoTime    the clock (System::nanoTime; tests pass their own)
     * @param stop        polled between steps; true saves progress and stops
     */
    public record Run(Path outDir, boolean resume, long budgetNanos, LongSupplier nanoTime, BooleanSupplier stop,
                      PretrainListener listener) {}

    /**
     * @param checkpoint the written model, or null when the run stopped before the end
     * @param phase      where the run stands (the last phase when finished)
     * @param step       steps done in that phase
     */
    public record Result(Path checkpoint, Phase phase, long step) {
        public boolean finished() {
            return checkpoint != null;
        }
    }

    private final PretrainOptions options;
    private final Run run;
    private final Path progressDir;
    private final PhaseSeeds seeds;
    private final long startedAt;

    private ToyPretrainer(PretrainOptions options, Run run) {
        this.options = options;
        this.run = run;
        this.progressDir = run.outDir().resolve(PROGRESS_DIR);
        this.seeds = new PhaseSeeds(options.seed());
        this.startedAt = run.nanoTime().getAsLong();
    }

    public static Result run(PretrainOptions options, Run run) throws IOException {
        return new ToyPretrainer(options, run).run();
    }

    private Result run() throws IOException {
        PretrainProgress progress = startingPoint();
        Files.createDirectories(progressDir);
        try (StableDiffusion model = load(progress)) {
            // libtorch's grad mode is per thread and on by default where DJL did not start the
            // thread; set once the engine (and its native library) is loaded
            JniUtils.setGradMode(false);
            if (progress.phase() == Phase.VAE) {
                progress = trainVae(model, progress.step());
                if (progress.phase() == Phase.VAE) {
                    return new Result(null, progress.phase(), progress.step());
                }
            }
            ToyLatents latents = latents(model);
            if (progress.phase() == Phase.LATENTS) {
                progress = new PretrainProgress(Phase.DIFFUSION, 0, latents.scaleFactor(), options.toString());
                progress.write(progressDir);
            }
            progress = trainDiffusion(model, latents, progress);
            if (progress.step() < options.diffusionSteps()) {
                return new Result(null, progress.phase(), progress.step());
            }
            Path checkpoint = run.outDir().resolve(CHECKPOINT);
            ToyCheckpoint.write(model.params(), withScale(progress.scaleFactor()), checkpoint, DType.F16, metadata(progress));
            run.listener().message("model written: " + checkpoint + " (" + Files.size(checkpoint) / 1024 + " KiB)");
            return new Result(checkpoint, Phase.DIFFUSION, progress.step());
        }
    }

    private PretrainProgress startingPoint() throws IOException {
        boolean exists = PretrainProgress.exists(progressDir);
        if (!run.resume()) {
            if (exists) {
                throw new IllegalStateException(progressDir.resolve(PretrainProgress.FILE)
                        + " exists: pass --resume to continue that run, or choose another --out");
            }
            // a continued model keeps its VAE: straight to encoding the latents with it
            return new PretrainProgress(options.initFrom() == null ? Phase.VAE : Phase.LATENTS, 0, Double.NaN,
                    options.toString());
        }
        if (!exists) {
            throw new IllegalStateException("--resume: no " + PretrainProgress.FILE + " in " + progressDir);
        }
        PretrainProgress saved = PretrainProgress.read(progressDir);
        if (!saved.options().equals(options.toString())) {
            throw new IllegalStateException("--resume: " + progressDir.resolve(PretrainProgress.FILE)
                    + " was made with other options.\n  saved:   " + saved.options() + "\n  current: " + options);
        }
        run.listener().message("resuming " + saved.phase() + " at step " + saved.step());
        return saved;
    }

    private StableDiffusion load(PretrainProgress progress) throws IOException {
        if (progress.phase() == Phase.VAE && progress.step() == 0) {
            WeightSource init = InitialWeights.of(options.model(), seeds.of(PhaseSeeds.Purpose.INIT, 0));
            return StableDiffusion.load(init, options.model(), ComputeDevice.CPU);
        }
        if (options.initFrom() != null && !Files.isRegularFile(progressDir.resolve(WEIGHTS))) {
            try (SafetensorsFile file = SafetensorsFile.open(options.initFrom())) {
                return StableDiffusion.load(new TensorSourceWeights(file), options.model(), ComputeDevice.CPU);
            }
        }
        try (SafetensorsFile file = SafetensorsFile.open(progressDir.resolve(WEIGHTS))) {
            return StableDiffusion.load(new TensorSourceWeights(file), options.model(), ComputeDevice.CPU);
        }
    }

    private PretrainProgress trainVae(StableDiffusion model, long start) throws IOException {
        TrainableWeights weights = TrainableWeights.of(model.params(), AutoencoderKL.PREFIX);
        WorldGenerator generator = new WorldGenerator(options.resolution());
        List<ParamGroup> groups = List.of(new ParamGroup("vae", options.vaeLr(), weights.all()));
        PhaseTrainer.StepLoss loss = (step, index) -> {
            SplittableRandom pick = new SplittableRandom(seeds.of(PhaseSeeds.Purpose.VAE_BATCH, index));
            long[] imageSeeds = new long[options.vaeBatch()];
            for (int i = 0; i < imageSeeds.length; i++) {
                imageSeeds[i] = seeds.of(PhaseSeeds.Purpose.VAE_IMAGES, 0, pick.nextInt(options.vaeImages()));
            }
            // the autoencoder is a codec for the whole world, stars and kiki included: the held-out
            // concepts are held from the denoiser and text encoder, not from the pixels' encoding
            int[] corners = new int[2 * imageSeeds.length];
            int room = options.resolution() - options.vaeCrop();
            for (int i = 0; i < corners.length; i++) {
                corners[i] = room == 0 ? 0 : pick.nextInt(room + 1);
            }
            var x = ToyImages.batch(step, ToyImages.generate(generator, SceneKind.ANY, imageSeeds), options.vaeCrop(),
                    corners);
            VaePhase.Losses l = VaePhase.loss(model.vae(), x, seeds.of(PhaseSeeds.Purpose.VAE_SAMPLE, index));
            return new PhaseTrainer.Loss(l.loss(), String.format("l1 %.4f kl %.1f", l.l1(), l.kl()));
        };
        boolean done;
        try (PhaseTrainer trainer = new PhaseTrainer(model.manager(), weights, groups,
                schedule(options.vaeSteps()),
                options.maxGradNorm(), loss)) {
            done = loop(Phase.VAE, model, trainer, start, options.vaeSteps(), Double.NaN);
        }
        weights.freeze();
        if (!done) {
            return PretrainProgress.read(progressDir);
        }
        PretrainProgress next = new PretrainProgress(Phase.LATENTS, 0, Double.NaN, options.toString());
        saveWeights(model);
        next.write(progressDir);
        return next;
    }

    private ToyLatents latents(StableDiffusion model) throws IOException {
        Path file = progressDir.resolve(LATENTS);
        if (Files.isRegularFile(file)) {
            return ToyLatents.read(file);
        }
        run.listener().message("encoding " + options.datasetSize() + " held-in scenes with the trained VAE");
        long t0 = run.nanoTime().getAsLong();
        ToyLatents latents = ToyLatents.encode(model.vae(), new WorldGenerator(options.resolution()), seeds,
                options.datasetSize(), ENCODE_CHUNK, model.manager(), done -> {
                    double seconds = (run.nanoTime().getAsLong() - t0) / 1e9;
                    double rate = done / Math.max(seconds, 1e-9);
                    run.listener().progress(new PretrainListener.Progress(Phase.LATENTS, done, options.datasetSize(),
                            Double.NaN, "", rate, (options.datasetSize() - done) / rate));
                });
        latents.write(file);
        run.listener().message(String.format("latent scale factor %.5f (one over the latents' std)", latents.scaleFactor()));
        return latents;
    }

    private PretrainProgress trainDiffusion(StableDiffusion model, ToyLatents latents, PretrainProgress progress)
            throws IOException {
        ClipTokenizer tokenizer = ClipTokenizer.load(dev.bakehouse.model.tokenizer.BundledTokenizer.files());
        DiffusionPhase phase = new DiffusionPhase(model, tokenizer, options.minSnrGamma());
        double scale = progress.scaleFactor();
        TrainableWeights weights = TrainableWeights.of(model.params(), ClipTextModel.PREFIX, UNet2DCondition.PREFIX);
        List<ParamGroup> groups = List.of(
                new ParamGroup("textencoder", options.textEncoderLr(), weights.group(ClipTextModel.PREFIX)),
                new ParamGroup("unet", options.unetLr(), weights.group(UNet2DCondition.PREFIX)));
        PhaseTrainer.StepLoss loss = (step, index) -> {
            SplittableRandom pick = new SplittableRandom(seeds.of(PhaseSeeds.Purpose.BATCH, index));
            SplittableRandom dropout = new SplittableRandom(seeds.of(PhaseSeeds.Purpose.CAPTION_DROPOUT, index));
            int[] indices = new int[options.diffusionBatch()];
            List<String> captions = new ArrayList<>();
            for (int i = 0; i < indices.length; i++) {
                indices[i] = pick.nextInt(latents.size());
                captions.add(dropout.nextDouble() < options.captionDropout() ? "" : latents.caption(indices[i]));
            }
            return new PhaseTrainer.Loss(phase.loss(latents.batch(step, indices, scale), captions,
                    seeds.of(PhaseSeeds.Purpose.NOISE, index)), "");
        };
        try (PhaseTrainer trainer = new PhaseTrainer(model.manager(), weights, groups,
                schedule(options.diffusionSteps()),
                options.maxGradNorm(), loss)) {
            boolean done = loop(Phase.DIFFUSION, model, trainer, progress.step(), options.diffusionSteps(), scale);
            weights.freeze();
            if (done && progress.step() < options.diffusionSteps()) {
                // the finished run's full-precision weights, from which the fp16 file can be remade
                save(Phase.DIFFUSION, options.diffusionSteps(), model, trainer, scale);
            }
            return PretrainProgress.read(progressDir);
        }
    }

    /** Steps {@code start..total-1}; false when stopped (progress saved). */
    private boolean loop(Phase phase, StableDiffusion model, PhaseTrainer trainer, long start, long total,
                         double scaleFactor) throws IOException {
        Path optimizerFile = progressDir.resolve(OPTIMIZER);
        if (start > 0) {
            trainer.load(OptimizerStateFile.read(optimizerFile));
        }
        run.listener().message(phase + ": steps " + (start + 1) + ".." + total);
        Path logFile = run.outDir().resolve(phase.name().toLowerCase(java.util.Locale.ROOT) + "_log.csv");
        long t0 = run.nanoTime().getAsLong();
        double sum = 0;
        try (TrainingLog log = TrainingLog.open(logFile, trainer.groupNames(), false, start)) {
            for (long s = start; s < total; s++) {
                if (run.stop().getAsBoolean() || overBudget()) {
                    save(phase, s, model, trainer, scaleFactor);
                    run.listener().message(phase + ": stopped after step " + s + " of " + total
                            + "; progress saved, continue with --resume");
                    return false;
                }
                PhaseTrainer.Done done = trainer.step(s);
                double[] lrs = trainer.lrs(); // the lr this update used
                sum += done.loss();
                long doneHere = s + 1 - start;
                log.append(new TrainingLog.StepRecord(s + 1, 0, done.loss(), sum / doneHere, lrs, null, Double.NaN));
                double seconds = (run.nanoTime().getAsLong() - t0) / 1e9;
                double rate = doneHere / Math.max(seconds, 1e-9);
                run.listener().progress(new PretrainListener.Progress(phase, s + 1, total, done.loss(), done.detail(),
                        rate, (total - s - 1) / rate));
                if ((s + 1) % options.saveEvery() == 0 && s + 1 < total) {
                    save(phase, s + 1, model, trainer, scaleFactor);
                }
            }
        }
        return true;
    }

    /** Linear warm-up (at most a tenth of the phase, so short runs mostly train), then cosine to 0. */
    private LrSchedule schedule(long steps) {
        return LrSchedules.cosine(Math.min(options.warmupSteps(), steps / 10), steps, 0.5);
    }

    private boolean overBudget() {
        return run.budgetNanos() > 0 && run.nanoTime().getAsLong() - startedAt >= run.budgetNanos();
    }

    private void save(Phase phase, long step, StableDiffusion model, PhaseTrainer trainer, double scaleFactor)
            throws IOException {
        saveWeights(model);
        OptimizerStateFile.write(progressDir.resolve(OPTIMIZER), trainer.state());
        // written last: it names a step whose weights and optimizer state are already on disk
        new PretrainProgress(phase, step, scaleFactor, options.toString()).write(progressDir);
    }

    private void saveWeights(StableDiffusion model) throws IOException {
        ToyCheckpoint.write(model.params(), options.model(), progressDir.resolve(WEIGHTS), DType.F32, Map.of());
    }

    private String initCommand() {
        try (SafetensorsFile file = SafetensorsFile.open(options.initFrom())) {
            String before = file.metadata().get("bakehouse.command");
            return before == null ? "(" + options.initFrom().getFileName() + ")" : before;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + options.initFrom(), e);
        }
    }

    private ModelConfig withScale(double scaleFactor) {
        ModelConfig c = options.model();
        return new ModelConfig(c.unet(), c.text(), c.vae().withScaleFactor(scaleFactor));
    }

    private Map<String, String> metadata(PretrainProgress progress) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bakehouse.model", "toy-sd1");
        String command = "bakehouse pretrain-toy --seed " + options.seed() + " --vae-steps "
                + options.vaeSteps() + " --unet-steps " + options.diffusionSteps() + " --dataset-size "
                + options.datasetSize() + " --resolution " + options.resolution() + " --unet-batch "
                + options.diffusionBatch() + " --unet-lr " + options.unetLr() + " --text-encoder-lr " + options.textEncoderLr();
        if (options.initFrom() != null) {
            // the whole recipe: the command that made the model this run continued, then this one
            command = initCommand() + " && " + command + " --init-from " + options.initFrom().getFileName();
        }
        m.put("bakehouse.command", command);
        m.put("bakehouse.pretrain_options", options.toString());
        m.put("bakehouse.scale_factor", Double.toString(progress.scaleFactor()));
        return m;
    }
}
