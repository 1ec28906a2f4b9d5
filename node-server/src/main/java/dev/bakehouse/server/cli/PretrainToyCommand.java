package dev.bakehouse.server.cli;

import dev.bakehouse.model.ModelConfig;
import dev.bakehouse.model.ModelConfigs;
import dev.bakehouse.toy.pretrain.PretrainListener;
import dev.bakehouse.toy.pretrain.PretrainOptions;
import dev.bakehouse.toy.pretrain.ToyPretrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bakehouse pretrain-toy}: trains the toy world's base model from scratch
 * ({@link ToyPretrainer}) and prints phase, step, loss, it/s and ETA. Ctrl-C and {@code --minutes}
 * save the progress; {@code --resume} continues it. Exit codes: 0 model written, 3 stopped with
 * progress saved, 1 failed, 2 rejected arguments.
 */
@Command(name = "pretrain-toy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pretrain the toy base model (VAE, then text encoder + UNet) from random weights on "
                + "generated toy-world scenes; writes toy-sd1.safetensors and toy-sd1.config.json into --out.",
                "Deterministic from --seed; progress is saved every few hundred steps, on Ctrl-C and when "
                + "--minutes run out: run again with --resume (and the same options) to continue."})
final class PretrainToyCommand implements Callable<Integer> {
    static final int STOPPED = 3;
    private static final long SAVE_WAIT_SECONDS = 120;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "toy-pretrain",
            description = "Output folder: the model, loss logs and progress/ (default: ${DEFAULT-VALUE}).")
    Path out;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of everything random (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--minutes", defaultValue = "0",
            description = "Wall-time budget; when spent, progress is saved and the run stops (0 = none).")
    double minutes;
    @Option(names = "--vae-steps", paramLabel = "N", description = "VAE optimizer steps (default: the recipe's).")
    Integer vaeSteps;
    @Option(names = "--unet-steps", paramLabel = "N", description = "Text encoder + UNet steps (default: the recipe's).")
    Integer unetSteps;
    @Option(names = "--resume", description = "Continue the run saved in --out/progress.")
    boolean resume;
    @Option(names = "--model-config", paramLabel = "FILE",
            description = "An LDM-named JSON config (the .config.json layout) in place of the toy architecture.")
    Path modelConfig;
    @Option(names = "--resolution", description = "Image side in pixels (default: the recipe's 128).")
    Integer resolution;
    @Option(names = "--dataset-size", paramLabel = "N", description = "Held-in scenes in the latent cache (default: the recipe's).")
    Integer datasetSize;

    @Option(names = "--vae-lr", paramLabel = "LR", description = "Peak learning rate of the VAE phase (default: the recipe's).")
    Double vaeLr;
    @Option(names = "--vae-batch", paramLabel = "N", description = "VAE batch size (default: the recipe's).")
    Integer vaeBatch;
    @Option(names = "--unet-lr", paramLabel = "LR", description = "Peak learning rate of the UNet (default: the recipe's).")
    Double unetLr;
    @Option(names = "--text-encoder-lr", paramLabel = "LR",
            description = "Peak learning rate of the text encoder (default: the recipe's).")
    Double textEncoderLr;
    @Option(names = "--unet-batch", paramLabel = "N", description = "Diffusion-phase batch size (default: the recipe's).")
    Integer unetBatch;

    @Option(names = "--init-from", paramLabel = "FILE",
            description = "Continue from a model pretrain-toy wrote: keep its VAE (no VAE phase) and train its text "
                    + "encoder and UNet for --unet-steps more, with a fresh optimizer and lr schedule.")
    Path initFrom;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        PretrainOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException | IOException e) {
            err.println("bakehouse pretrain-toy: " + e.getMessage());
            return 2;
        }
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(SAVE_WAIT_SECONDS, TimeUnit.SECONDS); // let the run save its progress
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pretrain-toy stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ToyPretrainer.Result result = ToyPretrainer.run(options, new ToyPretrainer.Run(out(), resume,
                    (long) (minutes * 60e9), System::nanoTime, stop::get, new Printer(err)));
            if (result.finished()) {
                out.println(result.checkpoint());
                out.flush();
                return 0;
            }
            return STOPPED;
        } catch (IllegalStateException | IllegalArgumentException e) {
            err.println("bakehouse pretrain-toy: " + e.getMessage());
            return 1;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the latch released above
            }
        }
    }

    private Path out() {
        return out.toAbsolutePath();
    }

    private PretrainOptions options() throws IOException {
        if (minutes < 0) {
            throw new IllegalArgumentException("--minutes must be >= 0, got " + minutes);
        }
        PretrainOptions d = PretrainOptions.defaults(seed);
        ModelConfig model = modelConfig == null ? d.model() : ModelConfigs.fromLdmJson(modelConfig);
        return new PretrainOptions(model, seed, resolution == null ? d.resolution() : resolution,
                vaeSteps == null ? d.vaeSteps() : vaeSteps, or(vaeBatch, d.vaeBatch()), or(vaeLr, d.vaeLr()), d.vaeImages(), Math.min(d.vaeCrop(), resolution == null ? d.resolution() : resolution),
                datasetSize == null ? d.datasetSize() : datasetSize, unetSteps == null ? d.diffusionSteps() : unetSteps,
                or(unetBatch, d.diffusionBatch()), or(unetLr, d.unetLr()), or(textEncoderLr, d.textEncoderLr()), d.warmupSteps(), d.captionDropout(), d.minSnrGamma(),
                d.maxGradNorm(), d.saveEvery(), initFrom == null ? null : initFrom.toAbsolutePath());
    }

    private static <T> T or(T given, T recipe) {
        return given == null ? recipe : given;
    }

    /** One redrawn line per phase: {@code VAE [####....] 120/2000 loss 0.0412 (l1 ...) 3.21 it/s ETA 9m47s}. */
    private static final class Printer implements PretrainListener {
        private final PrintWriter err;
        private boolean open;

        Printer(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void progress(Progress p) {
            StringBuilder line = new StringBuilder("\r").append(String.format("%-9s ", p.phase()))
                    .append(ProgressPrinter.bar(p.step(), p.totalSteps()));
            if (!Double.isNaN(p.loss())) {
                line.append(String.format(" loss %.4f", p.loss()));
            }
            if (!p.detail().isEmpty()) {
                line.append(" (").append(p.detail()).append(')');
            }
            line.append(String.format(" %.2f it/s ETA %s  ", p.stepsPerSecond(), duration(p.etaSeconds())));
            err.print(line);
            err.flush();
            open = true;
            if (p.step() == p.totalSteps()) {
                closeLine();
            }
        }

        @Override
        public void message(String line) {
            closeLine();
            err.println(line);
            err.flush();
        }

        private void closeLine() {
            if (open) {
                err.println();
                open = false;
            }
        }

        static String duration(double seconds) {
            if (!Double.isFinite(seconds)) {
                return "?";
            }
            long s = Math.round(seconds);
            return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60)
                    : String.format("%dm%02ds", s / 60, s % 60);
        }
    }
}
