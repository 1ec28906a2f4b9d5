package dev.bakehouse.server.cli;

import dev.bakehouse.model.Checkpoints;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.model.tokenizer.TokenizerLocator;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.sd.CheckpointFile;
import dev.bakehouse.node.sd.Embeddings;
import dev.bakehouse.node.sd.ModelCache;
import dev.bakehouse.node.sd.TrainingSampleRenderer;
import dev.bakehouse.train.config.TrainNetworkArgs;
import dev.bakehouse.train.data.BadInputPolicy;
import dev.bakehouse.train.run.LoraTrainer;
import dev.bakehouse.train.run.TrainingListener;
import dev.bakehouse.train.run.TrainingSetup;
import dev.bakehouse.train.save.ModelFileHashes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs {@code bakehouse train_network}: loads the checkpoint (with its {@code .config.json} when
 * it has one) and SD1's tokenizer, resolves the dataset, and trains with {@link LoraTrainer},
 * printing kohya-style lines and a progress bar. Ctrl-C stops at the next step with a state and
 * the LoRA so far, and says how to resume.
 */
final class KohyaTrainLauncher implements TrainNetworkLauncher {
    private final DataDirs dirs;
    private final Path clipTokenizer;
    private final ComputeDevice device;

    KohyaTrainLauncher(DataDirs dirs, Path clipTokenizer, ComputeDevice device) {
        this.dirs = dirs;
        this.clipTokenizer = clipTokenizer;
        this.device = device;
    }

    @Override
    public int train(TrainNetworkArgs args, PrintWriter out, PrintWriter err) throws Exception {
        if (args.saving().outputDir() == null) {
            err.println("train_network: error: --output_dir is required (where the LoRA files go)");
            return 2;
        }
        Path checkpoint = Path.of(args.model().pretrainedModelNameOrPath());
        Path sidecar = CheckpointFile.sidecarPath(checkpoint);
        long fallbackSeed = new SecureRandom().nextInt(Integer.MAX_VALUE);
        TrainingSetup setup = TrainingSetup.resolve(args, BadInputPolicy.STOP, fallbackSeed);
        err.println("loading " + checkpoint);
        err.flush();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(10, TimeUnit.MINUTES); // let the run save its state before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "train_network interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try (StableDiffusion model = Checkpoints.load(checkpoint, Files.isRegularFile(sidecar) ? sidecar : null, device);
             ModelCache cache = new ModelCache(device, 1)) {
            ClipTokenizer tokenizer = ClipTokenizer.load(TokenizerLocator.standard(clipTokenizer, dirs.root(),
                    Files.isDirectory(checkpoint) ? checkpoint : null, System.getenv(),
                    Path.of(System.getProperty("user.home"))).locate());
            TrainingSampleRenderer renderer = new TrainingSampleRenderer(model, tokenizer, new Embeddings(dirs, cache),
                    args.model().clipSkip(), w -> err.println("warning: " + w));
            var identity = Files.isRegularFile(checkpoint) ? ModelFileHashes.of(checkpoint) : null;
            LoraTrainer.Inputs inputs = new LoraTrainer.Inputs(setup, model, tokenizer, Path.of(args.saving().outputDir()),
                    dirs.root().resolve("cache").resolve("latents"),
                    identity != null ? identity.sha256() : checkpoint.toAbsolutePath().toString(),
                    new LoraTrainer.RunIdentity(new SecureRandom().nextLong() & 0xFFFFFFFFL, Instant.now(), identity,
                            "bakehouse/" + new Versions().getVersion()[0].replaceAll("^\\S+\\s+", "")),
                    renderer, stop::get, null);
            LoraTrainer.Result result = LoraTrainer.run(inputs, new ConsoleTraining(err));
            out.println(result.last());
            out.println(result.log());
            out.println(result.chart());
            out.flush();
            return result.stopped() ? 3 : 0;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for the countDown above
            }
        }
    }

    /** kohya's console: its lines as they come, and a tqdm-style bar redrawn in place. */
    private static final class ConsoleTraining implements TrainingListener {
        private final PrintWriter err;
        private boolean barOpen;
        /** The last validation loss, kept on the bar until the next validation (kohya shows val_avg_loss). */
        private double lastValLoss = Double.NaN;

        ConsoleTraining(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void message(String line) {
            if (barOpen) {
                err.println();
                barOpen = false;
            }
            err.println(line);
            err.flush();
        }

        @Override
        public void step(long step, long maxSteps, StepReport r) {
            int width = 30;
            int filled = (int) (width * step / Math.max(1, maxSteps));
            double eta = r.secondsPerStep() * (maxSteps - step);
            if (Double.isFinite(r.validationLoss())) {
                lastValLoss = r.validationLoss();
            }
            String val = Double.isNaN(lastValLoss) ? "" : String.format(java.util.Locale.ROOT, ", val_loss=%.4g", lastValLoss);
            err.print(String.format(java.util.Locale.ROOT, "\rsteps: %3d%%|%s%s| %d/%d [%.2fs/it, ETA %s, avr_loss=%.4g%s]",
                    100 * step / Math.max(1, maxSteps), "#".repeat(filled), " ".repeat(width - filled), step, maxSteps,
                    r.secondsPerStep(), duration(eta), r.averageLoss(), val));
            err.flush();
            barOpen = true;
        }

        private static String duration(double seconds) {
            long s = Math.round(seconds);
            return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }
    }
}
