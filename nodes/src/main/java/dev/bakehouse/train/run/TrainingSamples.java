package dev.bakehouse.train.run;

import dev.bakehouse.io.AtomicFiles;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraWriter;
import dev.bakehouse.lora.network.TrainableLoraNetwork;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.train.config.SamplePrompt;
import dev.bakehouse.train.config.TrainNetworkArgs;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kohya's sample images: every {@code sample_prompts} entry drawn with the current LoRA and
 * written to {@code output_dir/sample/} under kohya's name
 * ({@code NAME_e000004_00_<time>_<seed>.png} at an epoch end, {@code NAME_000500_…} at a step).
 * The prompt file is read again each time, as kohya does, so it can be edited during a run.
 *
 * <p>A sample is drawn from the weights a save at this step writes: the factors rounded to
 * {@code save_precision} and patched into the base weights as ApplyLoRA does, with the live
 * modules unhooked meanwhile. Drawing through the live fp32 branch instead differs from the saved
 * file in the last bit of some pixels (fp16 rounding of the factors, and a branch {@code x·Wᵀ +
 * (x·downᵀ)·upᵀ·scale} that sums in another order than the merged {@code x·(W + ΔW)ᵀ}).
 */
final class TrainingSamples {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final TrainNetworkArgs args;
    private final SampleRenderer renderer;
    private final Path dir;
    private final StepSeeds seeds;
    private final Clock clock;
    private final TrainingListener listener;
    private final TrainableLoraNetwork network;
    private final DType savePrecision;

    TrainingSamples(TrainNetworkArgs args, SampleRenderer renderer, Path outputDir, StepSeeds seeds, Clock clock,
                    TrainingListener listener, TrainableLoraNetwork network, DType savePrecision) {
        this.args = args;
        this.renderer = renderer;
        this.dir = outputDir.resolve("sample");
        this.seeds = seeds;
        this.clock = clock;
        this.listener = listener;
        this.network = network;
        this.savePrecision = savePrecision;
    }

    /**
     * @param epoch the epoch just finished (1-based), or null for a step sample
     * @return the images written, in prompt order
     */
    List<Path> draw(Integer epoch, long globalStep) {
        List<SamplePrompt> prompts = args.samplePrompts(Path.of("."));
        if (prompts.isEmpty()) {
            return List.of();
        }
        if (renderer == null) {
            listener.message("sample_prompts: this caller cannot draw samples; skipped");
            return List.of();
        }
        LoraNetwork asSaved = LoraWriter.asWritten(network.snapshot(Map.of()), savePrecision);
        return network.unhooked(() -> drawAll(prompts, asSaved, epoch, globalStep));
    }

    private List<Path> drawAll(List<SamplePrompt> prompts, LoraNetwork asSaved, Integer epoch, long globalStep) {
        List<Path> written = new ArrayList<>();
        String ts = TIME.withZone(ZoneId.systemDefault()).format(clock.instant());
        String prefix = args.saving().outputName() == null ? "" : args.saving().outputName() + "_";
        String when = epoch != null ? String.format("e%06d", epoch) : String.format("%06d", globalStep);
        for (SamplePrompt p : prompts) {
            // kohya draws an unseeded prompt from a fresh random seed; ours derives from the run's
            long seed = p.seed().orElseGet(() -> seeds.of(StepSeeds.Purpose.SAMPLE, globalStep * 1000 + p.index()));
            String sampler = p.sampler().orElse(args.sampling().sampleSampler().kohyaName());
            BufferedImage image = renderer.render(p, sampler, seed, asSaved);
            Path file = dir.resolve(String.format("%s%s_%02d_%s%s.png", prefix, when, p.index(), ts,
                    p.seed().map(d -> "_" + d).orElse("")));
            try {
                AtomicFiles.writePng(file, image);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the sample " + file + ": " + e.getMessage(), e);
            }
            listener.sampled(file, globalStep);
            written.add(file);
        }
        return written;
    }
}
