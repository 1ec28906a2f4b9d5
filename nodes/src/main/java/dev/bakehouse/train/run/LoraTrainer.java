package dev.bakehouse.train.run;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.network.LoraLayer;
import dev.bakehouse.lora.network.TrainableLoraNetwork;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.nn.CheckpointTape;
import dev.bakehouse.model.nn.OwnedArrays;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.train.config.EmaOptions;
import dev.bakehouse.train.config.PreservationOptions;
import dev.bakehouse.train.config.TrainNetworkArgs;
import dev.bakehouse.train.data.EpochIterator;
import dev.bakehouse.train.log.LossChart;
import dev.bakehouse.train.log.LossRecorder;
import dev.bakehouse.train.log.TrainingLog;
import dev.bakehouse.train.loss.MaxNormRegularization;
import dev.bakehouse.train.loss.PreservationLoss;
import dev.bakehouse.train.loss.TrainingLoss;
import dev.bakehouse.train.noise.DdpmSchedule;
import dev.bakehouse.train.noise.SeededDraws;
import dev.bakehouse.train.noise.TrainingNoise;
import dev.bakehouse.train.optim.Gradients;
import dev.bakehouse.train.optim.Optimizer;
import dev.bakehouse.train.optim.OptimizerArgs;
import dev.bakehouse.train.optim.OptimizerStateFile;
import dev.bakehouse.train.optim.Optimizers;
import dev.bakehouse.train.optim.ParamGroup;
import dev.bakehouse.train.optim.TrainableParam;
import dev.bakehouse.train.save.CheckpointNames;
import dev.bakehouse.train.save.KohyaTrainingMetadata;
import dev.bakehouse.train.schedule.LrSchedule;
import dev.bakehouse.train.schedule.LrSchedules;
import dev.bakehouse.train.schedule.SchedulerType;
import dev.bakehouse.train.schedule.WarmupSteps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * kohya's {@code train_network.py} loop on DJL: epochs of bucketed batches, gradient accumulation,
 * clipping, the optimizer and its lr schedule, {@code scale_weight_norms}, saves per epoch/step
 * with kohya's names and {@code ss_*} metadata, state folders, sample images, the CSV log and loss
 * chart, and a clean stop (state + LoRA) when asked. Each micro-batch runs in its own child
 * NDManager; only the LoRA factors, their gradients and the optimizer state live across steps.
 *
 * <p>The method is long because it is the training loop itself, read top to bottom as kohya's is;
 * every piece it calls (batch inputs, saving, state, logging) is its own class.
 */
public final class LoraTrainer {

    /**
     * Everything a run needs besides the setup.
     *
     * @param outputDir      kohya's {@code output_dir}: LoRA files, state folders, log, chart, samples
     * @param latentCacheDir where {@code cache_latents_to_disk} keeps latents (under the data dir)
     * @param vaeIdentity    names the VAE weights in latent cache keys
     * @param identity       the run's session id, start time and base model, for the metadata
     * @param renderer       draws sample prompts, or null when this caller cannot sample
     * @param stopRequested  polled after every update: true stops with a state and the LoRA so far
     * @param control        polled after every update for live requests (sample, save, stop)
     */
    public record Inputs(TrainingSetup setup, StableDiffusion model, ClipTokenizer tokenizer, Path outputDir,
                         Path latentCacheDir, String vaeIdentity, RunIdentity identity,
                         SampleRenderer renderer, BooleanSupplier stopRequested, Clock clock, TrainingControl control) {
        /** Inputs without live requests. */
        public Inputs(TrainingSetup setup, StableDiffusion model, ClipTokenizer tokenizer, Path outputDir,
                      Path latentCacheDir, String vaeIdentity, RunIdentity identity, SampleRenderer renderer,
                      BooleanSupplier stopRequested, Clock clock) {
            this(setup, model, tokenizer, outputDir, latentCacheDir, vaeIdentity, identity, renderer, stopRequested,
                    clock, null);
        }

        public Inputs {
            Objects.requireNonNull(setup, "setup");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(tokenizer, "tokenizer");
            Objects.requireNonNull(outputDir, "outputDir");
            Objects.requireNonNull(identity, "identity");
            stopRequested = stopRequested == null ? () -> false : stopRequested;
            clock = clock == null ? Clock.systemUTC() : clock;
            control = control == null ? TrainingControl.NONE : control;
        }
    }

    /**
     * Who the run is, for its {@code ss_*} metadata.
     *
     * @param sdModel        the base checkpoint's name and hashes, or null
     * @param implementation written where kohya writes its commit ({@code ss_sd_scripts_commit_hash})
     */
    public record RunIdentity(long sessionId, java.time.Instant startedAt, KohyaTrainingMetadata.ModelIdentity sdModel,
                              String implementation) {}

    /**
     * What a run wrote. {@code saved} lists every LoRA file still on disk in the order written
     * (epochs, steps, then the last); {@code resumeFrom} is the state folder of a stopped run.
     */
    public record Result(List<Path> saved, Path last, Path log, Path chart, long steps, int epochs, boolean stopped,
                         Path resumeFrom) {}

    private LoraTrainer() {}

    public static Result run(Inputs in, TrainingListener listener) {
        TrainingSetup setup = in.setup();
        TrainNetworkArgs args = setup.args();
        var saving = args.saving();
        var opt = args.optimizer();
        StableDiffusion model = in.model();
        if (model.config().isSdxl()) {
            // the loop encodes captions with one CLIP and calls the UNet without SDXL's vector conditioning
            throw new IllegalArgumentException("train_network trains SD1.x LoRAs; " + model.config().unet().contextDim()
                    + "-wide SDXL checkpoints need sdxl_train_network, which is not supported yet");
        }
        DdpmSchedule schedule = setup.noiseSchedule();
        StepSeeds seeds = new StepSeeds(setup.seed());
        CheckpointNames names = new CheckpointNames(saving.outputName(), "safetensors");
        var opType = dev.bakehouse.train.optim.OptimizerType.parse(opt.optimizerType());
        var optArgs = OptimizerArgs.parse(opt.optimizerArgs() == null ? List.of() : opt.optimizerArgs());
        var d = args.dataset();
        KohyaTrainingMetadata metadata = new KohyaTrainingMetadata(args, new KohyaTrainingMetadata.RunFacts(
                in.identity().sessionId(), in.identity().startedAt(), "sd_v1",
                setup.validationDataset() == null ? 0 : setup.validationDataset().numTrainImages(),
                dev.bakehouse.train.save.KohyaOptimizerNames.className(opType),
                dev.bakehouse.train.save.KohyaOptimizerNames.arguments(opType, optArgs.values()),
                dev.bakehouse.train.data.DatasetMetadata.trainDataDirForm(setup.dataset(), setup.plan(),
                        TrainingSetup.captions(d), TrainingSetup.augmentation(d)),
                in.identity().sdModel(), in.identity().implementation()));
        int maxSteps = setup.plan().maxTrainSteps();
        int epochs = setup.plan().numTrainEpochs();
        int gas = setup.plan().gradientAccumulationSteps();

        Path resumeDir = resume(args, in.outputDir(), saving.outputName());
        if (resumeDir == null && "auto".equals(saving.resume())) {
            listener.message("--resume auto: no earlier state of this run in " + in.outputDir() + "; starting afresh");
        }
        TrainingState resume = resumeDir == null ? null : TrainingState.read(resumeDir);
        if (resume != null && resume.seed() != setup.seed()) {
            throw new IllegalArgumentException("--resume: the state was trained with seed " + resume.seed()
                    + ", this run has seed " + setup.seed() + "; pass --seed=" + resume.seed() + " to continue it");
        }
        // libtorch's grad mode is per thread and on by default on threads DJL did not start (a
        // server worker, a test runner's timeout thread); off, so that only the gradient
        // collector of each step records a graph and the optimizer may update leaves in place
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        listener.message(setup.plan().planLine());
        listener.message("seed: " + setup.seed());
        for (String w : setup.datasetReport()) {
            listener.message("warning: " + w);
        }

        try (TrainableLoraNetwork network = TrainableLoraNetwork.create(model, setup.network(),
                new SplittableRandom(seeds.of(StepSeeds.Purpose.NETWORK_INIT, 0)), initialWeights(args, resumeDir))) {
            List<ParamGroup> groups = network.paramGroups(firstOrNull(args.network().textEncoderLr()),
                    args.network().unetLr(), opt.learningRate());
            if (groups.isEmpty()) {
                throw new IllegalArgumentException("nothing to train: every module's learning rate is 0 or no module was created");
            }
            List<TrainableParam> params = groups.stream().flatMap(g -> g.params().stream()).toList();
            listener.message("LoRA modules: " + network.layers().size() + " (" + network.layers().stream()
                    .filter(LoraLayer::isTextEncoder).count() + " text encoder), trainable parameters: "
                    + params.stream().mapToLong(p -> p.value().size()).sum());
            EmaOptions emaOptions = EmaOptions.of(args);
            try (Optimizer optimizer = Optimizers.create(opt.optimizerType(), optArgs, opt.learningRate(), groups,
                    network.manager());
                    LoraEma ema = emaOptions.enabled() ? LoraEma.start(network, emaOptions) : null) {
                LrSchedule lrSchedule = LrSchedules.kohya(SchedulerType.parse(opt.lrScheduler()),
                        warmup(opt.lrWarmupSteps()), maxSteps, 1, opt.lrSchedulerNumCycles(), opt.lrSchedulerPower(),
                        opt.learningRate());
                if (resume != null) {
                    optimizer.load(readOptimizer(resumeDir));
                    if (ema != null) {
                        ema.restore(resumeDir);
                    }
                    listener.message("resuming from " + resumeDir);
                }
                return new Loop(in, listener, network, optimizer, lrSchedule, params, groups, schedule, seeds, names,
                        metadata, maxSteps, epochs, gas, resume).withEma(ema).run();
            }
        } catch (TensorFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The training loop's state: counters and the parts it drives. */
    private static final class Loop {
        private final Inputs in;
        private final TrainingSetup setup;
        private final TrainingListener listener;
        private final TrainableLoraNetwork network;
        private final Optimizer optimizer;
        private final LrSchedule lrSchedule;
        private final List<TrainableParam> params;
        private final List<String> groupNames;
        private final DdpmSchedule schedule;
        private final StepSeeds seeds;
        private final CheckpointNames names;
        private final KohyaTrainingMetadata metadata;
        private final SaveSchedule saves;
        private final int maxSteps;
        private final int epochs;
        private final int gas;
        private final BatchInputs inputs;
        private final EpochIterator iterator;
        private final TrainingSamples samples;
        private final PreservationStep preservation;
        private final Validation validation;
        private final LossRecorder recorder = new LossRecorder();
        private final List<Path> saved = new ArrayList<>();
        private long globalStep;
        private long microBatches;
        private int startEpoch;
        private int startBatch;
        /** {@code --ema_decay}'s shadow weights, or null. */
        private LoraEma ema;

        Loop(Inputs in, TrainingListener listener, TrainableLoraNetwork network, Optimizer optimizer,
             LrSchedule lrSchedule, List<TrainableParam> params, List<ParamGroup> groups, DdpmSchedule schedule,
             StepSeeds seeds, CheckpointNames names, KohyaTrainingMetadata metadata, int maxSteps, int epochs, int gas,
             TrainingState resume) {
            this.in = in;
            this.setup = in.setup();
            this.listener = listener;
            this.network = network;
            this.optimizer = optimizer;
            this.lrSchedule = lrSchedule;
            this.params = params;
            this.groupNames = groups.stream().map(ParamGroup::name).toList();
            this.schedule = schedule;
            this.seeds = seeds;
            this.names = names;
            this.metadata = metadata;
            this.saves = new SaveSchedule(setup.args().saving(), setup.args().sampling(), epochs);
            this.maxSteps = maxSteps;
            this.epochs = epochs;
            this.gas = gas;
            var d = setup.args().dataset();
            this.inputs = new BatchInputs(in.model(), in.tokenizer(), setup.dataset(), setup.text(),
                    d.cacheLatents() || d.cacheLatentsToDisk(), d.cacheLatentsToDisk() ? in.latentCacheDir() : null,
                    in.vaeIdentity(), seeds).cachingTextEncoderOutputs(!setup.trainsTextEncoder()
                    && (d.cacheTextEncoderOutputs() || d.cacheTextEncoderOutputsToDisk()))
                    .withLossMasks(TrainingSetup.lossMasks(d));
            this.preservation = new PreservationStep(PreservationLoss.terms(PreservationOptions.of(setup.args())), network,
                    in.model(), inputs, setup.trainsTextEncoder());
            this.samples = new TrainingSamples(setup.args(), in.renderer(), in.outputDir(), seeds, in.clock(), listener,
                    network, saves.savePrecision());
            this.iterator = new EpochIterator(setup.dataset(), setup.trainBatchSize(), setup.seed(), setup.priorLossWeight());
            this.validation = new Validation(setup, in.model(), in.tokenizer(), schedule, in.latentCacheDir(),
                    in.vaeIdentity());
            if (validation.enabled()) {
                listener.message(validation.planLine());
            }
            if (resume != null) {
                globalStep = resume.globalStep();
                microBatches = resume.microBatches();
                startEpoch = resume.epoch();
                startBatch = resume.batchInEpoch();
                listener.message("resuming at step " + globalStep + " (epoch " + (startEpoch + 1) + ", batch "
                        + startBatch + ")");
            }
        }

        Loop withEma(LoraEma ema) {
            this.ema = ema;
            return this;
        }

        Result run() {
            Path logFile = in.outputDir().resolve(logName() + ".csv");
            Path chartFile = in.outputDir().resolve(logName() + "_loss.png");
            boolean withD = !optimizer.logScalars().isEmpty();
            int cached = inputs.precacheLatents() + validation.precacheLatents();
            if (cached > 0) {
                listener.message("cached latents: " + cached);
            }
            try (TrainingLog log = TrainingLog.open(logFile, groupNames, withD, globalStep)) {
                long started = System.nanoTime();
                long stepsAtStart = globalStep;
                for (int epoch = startEpoch; epoch < epochs && globalStep < maxSteps; epoch++) {
                    listener.message("epoch " + (epoch + 1) + "/" + epochs);
                    List<EpochIterator.Batch> batches = iterator.epoch(epoch + 1, epoch == startEpoch ? startBatch : 0);
                    int total = iterator.batchesPerEpoch();
                    int accumulated = 0;
                    for (EpochIterator.Batch batch : batches) {
                        double loss = microStep(batch, epoch);
                        recorder.add(epoch - startEpoch, batch.step(), loss);
                        accumulated++;
                        microBatches++;
                        boolean lastOfEpoch = batch.step() == total - 1;
                        if (accumulated < gas && !lastOfEpoch) {
                            continue;
                        }
                        accumulated = 0;
                        update();
                        globalStep++;
                        if (ema != null) {
                            ema.afterStep(globalStep);
                        }
                        double seconds = (System.nanoTime() - started) / 1e9 / (globalStep - stepsAtStart);
                        Validation.Result validated = validation.afterStep(network, globalStep, epoch - startEpoch,
                                epoch + 1, lastOfEpoch || globalStep >= maxSteps);
                        logStep(log, epoch, loss, seconds, validated);
                        int nextBatch = batch.step() + 1;
                        TrainingState position = nextBatch >= total
                                ? new TrainingState(epoch + 1, 0, globalStep, microBatches, setup.seed())
                                : new TrainingState(epoch, nextBatch, globalStep, microBatches, setup.seed());
                        if (saves.sampleAtStep(globalStep)) {
                            samples.draw(null, globalStep);
                        }
                        if (saves.saveAtStep(globalStep)) {
                            saveLora(names.stepFile(globalStep), epoch, true);
                            saves.stepFileToRemove(globalStep).ifPresent(old -> removeLora(names.stepFile(old)));
                            if (saves.saveState()) {
                                saveState(names.stepState(globalStep), position);
                                saves.stepStateToRemove(globalStep).ifPresent(old -> removeState(names.stepState(old)));
                            }
                        }
                        Result stopped = betweenSteps(log, chartFile, logFile, epoch, position);
                        if (stopped != null) {
                            return stopped;
                        }
                        if (globalStep >= maxSteps) {
                            break;
                        }
                    }
                    if (saves.saveAtEpochEnd(epoch + 1)) {
                        saveLora(names.epochFile(epoch + 1), epoch + 1, false);
                        saves.epochFileToRemove(epoch + 1).ifPresent(old -> removeLora(names.epochFile(old)));
                        if (saves.saveState()) {
                            saveState(names.epochState(epoch + 1),
                                    new TrainingState(epoch + 1, 0, globalStep, microBatches, setup.seed()));
                            saves.epochStateToRemove(epoch + 1).ifPresent(old -> removeState(names.epochState(old)));
                        }
                    }
                    if (saves.sampleAtEpochEnd(epoch + 1)) {
                        samples.draw(epoch + 1, globalStep);
                    }
                    writeChart(log, chartFile);
                }
                if (saves.saveState() || setup.args().saving().saveStateOnTrainEnd()) {
                    saveState(names.lastState(), new TrainingState(epochs, 0, globalStep, microBatches, setup.seed()));
                }
                Path last = saveLora(names.lastFile(), epochs, false);
                writeChart(log, chartFile);
                listener.message("model saved: " + last);
                return new Result(List.copyOf(saved), last, logFile, chartFile, globalStep, epochs, false, null);
            }
        }

        /**
         * The live requests ({@link TrainingControl}) and the stop flag, after an update: sample
         * and save now under step names, then stop (with a state) when asked; the stopped result, or null.
         */
        private Result betweenSteps(TrainingLog log, Path chartFile, Path logFile, int epoch, TrainingState position) {
            var asked = in.control().take();
            if (asked.contains(TrainingControl.Request.SAMPLE)) {
                listener.controlled(TrainingControl.Request.SAMPLE, globalStep, samples.draw(null, globalStep));
            }
            if (asked.contains(TrainingControl.Request.SAVE)) {
                listener.controlled(TrainingControl.Request.SAVE, globalStep,
                        List.of(saveLora(names.stepFile(globalStep), epoch, true)));
            }
            boolean live = asked.contains(TrainingControl.Request.STOP);
            if (!live && !in.stopRequested().getAsBoolean()) {
                return null;
            }
            Result stopped = stop(log, chartFile, logFile, epoch, position);
            if (live) {
                listener.controlled(TrainingControl.Request.STOP, globalStep, List.of(stopped.last(), stopped.resumeFrom()));
            }
            return stopped;
        }

        private String logName() {
            String name = setup.args().saving().outputName();
            return name == null || name.isBlank() ? "last" : name;
        }

        /** One batch forward and backward; returns its loss (before the accumulation division). */
        private double microStep(EpochIterator.Batch batch, int epoch) {
            try (NDManager step = in.model().manager().newSubManager()) {
                BatchInputs.Encoded encoded = inputs.encode(batch, step, microBatches);
                NDArray latents = encoded.latents();
                List<String> captions = inputs.captions(batch, epoch, globalStep, maxSteps, microBatches);
                network.setTraining(true, new SplittableRandom(seeds.of(StepSeeds.Purpose.DROPOUT, microBatches)));
                NDArray frozenContext = setup.trainsTextEncoder() ? null : inputs.context(captions, step);
                float[] weights = batch.lossWeights();
                double[] lossWeights = new double[weights.length];
                for (int i = 0; i < weights.length; i++) {
                    lossWeights[i] = weights[i];
                }
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray context = frozenContext != null ? frozenContext : inputs.context(captions, step);
                    TrainingNoise.NoisyBatch noisy = TrainingNoise.sample(latents, setup.noise(), schedule,
                            new SeededDraws(seeds.of(StepSeeds.Purpose.NOISE, microBatches)));
                    float[] t = new float[noisy.timesteps().length];
                    for (int i = 0; i < t.length; i++) {
                        t[i] = noisy.timesteps()[i];
                    }
                    NDArray timesteps = OwnedArrays.of(step, t);
                    CheckpointTape tape = setup.args().training().gradientCheckpointing()
                            ? new CheckpointTape(step, List.of(network)) : null;
                    NDArray pred = tape == null ? in.model().unet().forward(noisy.noisyLatents(), timesteps, context)
                            : in.model().unet().forward(noisy.noisyLatents(), timesteps, context, tape);
                    NDArray target = setup.loss().vParameterization()
                            ? schedule.velocity(latents, noisy.noise(), noisy.timesteps()) : noisy.noise();
                    TrainingLoss.Result loss = TrainingLoss.compute(pred, target, noisy.timesteps(), lossWeights,
                            setup.loss(), schedule, encoded.mask());
                    NDArray objective = preservation.isOff() ? loss.loss()
                            : loss.loss().add(preservation.loss(noisy.noisyLatents(), timesteps, step));
                    // accelerate's backward divides by gradient_accumulation_steps, also for a short last group
                    gc.backward(gas == 1 ? objective : OwnedArrays.times(objective, 1f / gas));
                    if (tape != null) {
                        tape.backward();
                    }
                    double value = objective.getFloat();
                    if (!Double.isFinite(value)) {
                        throw new IllegalStateException("the loss became " + value + " at step " + (globalStep + 1)
                                + " (epoch " + (epoch + 1) + "); lower the learning rate or check the dataset");
                    }
                    return value;
                } finally {
                    network.setTraining(false, null);
                }
            }
        }

        /** Clip, step, zero the gradients, cap norms: what happens when the accumulated gradient syncs. */
        private void update() {
            try (NDManager scratch = in.model().manager().newSubManager()) {
                double maxGradNorm = setup.args().optimizer().maxGradNorm();
                if (maxGradNorm != 0.0) {
                    Gradients.clipNorm(params, maxGradNorm, scratch);
                }
                optimizer.setLrFactor(lrSchedule.factor(globalStep));
                optimizer.step();
                network.zeroGradients();
                Double maxNorm = setup.args().network().scaleWeightNorms();
                if (maxNorm != null && maxNorm > 0) {
                    scaleWeightNorms(maxNorm);
                }
            }
        }

        private MaxNormRegularization.Report lastNorms;

        private void scaleWeightNorms(double maxNorm) {
            List<MaxNormRegularization.LoraFactors> factors = new ArrayList<>();
            for (LoraLayer l : network.layers()) {
                factors.add(new MaxNormRegularization.LoraFactors(l.name(), l.down(), l.up(), l.alpha()));
            }
            lastNorms = MaxNormRegularization.measure(factors, maxNorm);
            List<LoraLayer> layers = network.layers();
            for (int i = 0; i < layers.size(); i++) {
                double scale = lastNorms.modules().get(i).scale();
                if (scale != 1.0) {
                    layers.get(i).down().muli((float) scale);
                    layers.get(i).up().muli((float) scale);
                }
            }
        }

        private void logStep(TrainingLog log, int epoch, double loss, double secondsPerStep, Validation.Result validated) {
            double[] lrs = optimizer.lrs();
            double[] ds = null;
            if (!optimizer.logScalars().isEmpty()) {
                ds = new double[groupNames.size()];
                for (int g = 0; g < ds.length; g++) {
                    Double v = optimizer.logScalars().get("lr/d*lr/" + groupNames.get(g));
                    ds[g] = v == null ? Double.NaN : v;
                }
            }
            double average = recorder.movingAverage();
            double valLoss = validated == null ? Double.NaN : validated.loss();
            log.append(new TrainingLog.StepRecord(globalStep, epoch + 1, loss, average, lrs, ds, valLoss,
                    validated == null ? Double.NaN : validated.runningAverage()));
            String norms = lastNorms == null ? "" : String.format(java.util.Locale.ROOT,
                    ", keys scaled %d, average key norm %.4g", lastNorms.keysScaled(), lastNorms.avgKeyNorm());
            listener.step(globalStep, maxSteps, new TrainingListener.StepReport(epoch + 1, loss, average, groupNames, lrs,
                    valLoss, secondsPerStep));
            if (!norms.isEmpty() && globalStep % 10 == 0) {
                listener.message("step " + globalStep + norms);
            }
        }

        private Path saveLora(String fileName, int epoch, boolean stepSave) {
            Path file = in.outputDir().resolve(fileName);
            try {
                Files.createDirectories(in.outputDir());
                var fileMetadata = metadata.forSave(globalStep, epoch, in.clock().instant());
                network.save(file, saves.savePrecision(), fileMetadata);
                if (ema != null) {
                    Path emaFile = in.outputDir().resolve(LoraEma.fileName(fileName));
                    ema.save(emaFile, saves.savePrecision(), fileMetadata);
                    listener.message("saving EMA weights: " + emaFile);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException("cannot save " + file + ": " + e.getMessage(), e));
            }
            saved.remove(file);
            saved.add(file);
            listener.message("saving checkpoint: " + file);
            listener.saved(file, epoch, globalStep);
            return file;
        }

        private void removeLora(String fileName) {
            Path file = in.outputDir().resolve(fileName);
            try {
                if (Files.deleteIfExists(file)) {
                    saved.remove(file);
                    listener.message("removing old checkpoint: " + file);
                }
                Files.deleteIfExists(in.outputDir().resolve(LoraEma.fileName(fileName)));
            } catch (IOException e) {
                listener.message("warning: cannot remove " + file + ": " + e.getMessage());
            }
        }

        private void saveState(String folderName, TrainingState position) {
            Path dir = in.outputDir().resolve(folderName);
            try {
                TrainingState.writeFolder(dir, tmp -> {
                    network.save(tmp.resolve(TrainingState.LORA_FILE), dev.bakehouse.tensor.DType.F32, java.util.Map.of());
                    OptimizerStateFile.write(tmp.resolve(TrainingState.OPTIMIZER_FILE), optimizer.state());
                    if (ema != null) {
                        ema.saveState(tmp);
                    }
                    position.writeTo(tmp);
                });
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException("cannot save the state " + dir + ": " + e.getMessage(), e));
            }
            listener.message("saving state: " + dir);
        }

        private void removeState(String folderName) {
            Path dir = in.outputDir().resolve(folderName);
            try {
                if (Files.isDirectory(dir)) {
                    TrainingState.deleteTree(dir);
                    listener.message("removing old state: " + dir);
                }
            } catch (IOException e) {
                listener.message("warning: cannot remove " + dir + ": " + e.getMessage());
            }
        }

        private Result stop(TrainingLog log, Path chartFile, Path logFile, int epoch, TrainingState position) {
            String stateName = names.stepState(globalStep);
            saveState(stateName, position);
            Path lora = saveLora(names.stepFile(globalStep), epoch, true);
            Path dir = in.outputDir().resolve(stateName);
            listener.message("stopped at step " + globalStep + "; the LoRA so far is " + lora + ". To continue, run the"
                    + " same command with --resume " + dir + " (or --resume auto)");
            try {
                writeChart(log, chartFile);
            } catch (RuntimeException e) { // a stop during JVM shutdown (Ctrl-C) may find AWT gone; the log has the data
                listener.message("warning: the loss chart was not redrawn: " + e);
            }
            return new Result(List.copyOf(saved), lora, logFile, chartFile, globalStep, epoch + 1, true, dir);
        }

        private static void writeChart(TrainingLog log, Path chartFile) {
            if (!log.records().isEmpty()) {
                String name = chartFile.getFileName().toString().replaceFirst("_loss\\.png$", "");
                LossChart.write(chartFile, name + ": loss and learning rate", log.groups(), log.records());
            }
        }
    }

    private static Double firstOrNull(List<Double> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static WarmupSteps warmup(dev.bakehouse.train.config.StepsOrRatio s) {
        if (s == null) {
            return WarmupSteps.none();
        }
        return s.isRatio() ? new WarmupSteps(null, s.ratio()) : new WarmupSteps((long) s.steps(), null);
    }

    /** The state folder {@code --resume} names: a path, or {@code auto} for the newest of this run. */
    static Path resume(TrainNetworkArgs args, Path outputDir, String outputName) {
        String r = args.saving().resume();
        if (r == null || r.isBlank()) {
            return null;
        }
        if (r.equals("auto")) {
            return TrainingState.newest(outputDir, outputName == null ? "last" : outputName).orElse(null);
        }
        return Path.of(r);
    }

    /** A resumed run starts from the state's factors; otherwise from {@code network_weights}, if given. */
    private static dev.bakehouse.lora.format.LoraNetwork initialWeights(TrainNetworkArgs args, Path resumeDir)
            throws TensorFileException {
        String file = args.network().networkWeights();
        if (resumeDir != null) {
            return LoraReader.read(resumeDir.resolve(TrainingState.LORA_FILE));
        }
        return file == null ? null : LoraReader.read(Path.of(file));
    }

    private static dev.bakehouse.train.optim.OptimizerState readOptimizer(Path dir) {
        try {
            return OptimizerStateFile.read(dir.resolve(TrainingState.OPTIMIZER_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the optimizer state in " + dir + ": " + e.getMessage(), e);
        }
    }
}
