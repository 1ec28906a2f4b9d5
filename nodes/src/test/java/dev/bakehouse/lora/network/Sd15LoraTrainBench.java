package dev.bakehouse.lora.network;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.ModelConfig;
import dev.bakehouse.model.Sd15Bench;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.SyntheticWeights;
import dev.bakehouse.model.nn.CheckpointTape;
import dev.bakehouse.model.nn.OwnedArrays;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Full-size SD1.5 (synthetic weights with SD1.5's keys and shapes, built in memory) on CPU:
 * <ol>
 *   <li>one LoRA training step (rank 32, UNet only, batch 1, cached latents and text-encoder output,
 *       so no VAE or TE work) with and then without gradient_checkpointing: seconds per step (the
 *       second of two; the first includes oneDNN's kernel selection) and its FLOP rate against a
 *       2048² fp32 GEMM measured just before it;
 *   <li>a two-step 512x512 text-to-image pass (text encoder for prompt and negative, two UNet
 *       evaluations at batch 2 for CFG, VAE decode).
 * </ol>
 * Every phase also reports peak RSS, RSS at its start, minor page faults and user/kernel CPU time
 * (/proc/self). The FLOPs of a step are kohya's: forward + input-gradient backward of the frozen
 * UNet (2x {@link Sd15Bench#unetFlops}) plus the LoRA's own terms; the recomputed forward of
 * checkpointing is overhead, not counted. Each phase resets the kernel's peak-RSS mark
 * (/proc/self/clear_refs). Prints {@code BENCH <name> <value> <unit>}.
 *
 * <p>{@code -Dsd15.bench.phases=train|txt2img} (default both, training first) runs one phase:
 * with bench/run's malloc settings freed memory stays in the process for reuse, so a phase's peak
 * RSS includes what earlier phases left; run a phase alone for its own figure.
 * {@code -Dsd15.bench.checkpointingOnly=true} times only the gradient_checkpointing step.
 */
public final class Sd15LoraTrainBench {
    private static final int RANK = 32;

    private Sd15LoraTrainBench() {}

    public static void main(String[] args) throws Exception {
        ProcStat start = ProcStat.now();
        long t0 = System.nanoTime();
        try (StableDiffusion model = StableDiffusion.load(SyntheticWeights.sd15(42), ModelConfig.sd15(), ComputeDevice.CPU)) {
            ProcStat loaded = ProcStat.now();
            bench("sd15_load_synthetic", (System.nanoTime() - t0) / 1e9, "s");
            report("sd15_load", start, loaded);
            // The synthetic weights are drawn into Java arrays (a checkpoint file streams into
            // native memory instead); a full collection lets G1 give that heap back, so the phases
            // below measure what a run from a file holds.
            System.gc();
            bench("sd15_rss_after_gc", ProcStat.now().rssKiB / 1024.0 / 1024.0, "GiB");

            List<String> phases = List.of(System.getProperty("sd15.bench.phases", "train,txt2img").split(","));
            if (phases.contains("train")) {
                training(model);
            }
            if (phases.contains("txt2img")) {
                resetPeak();
                ProcStat before = ProcStat.now();
                long s = System.nanoTime();
                textToImage(model);
                bench("sd15_txt2img_512_2steps", (System.nanoTime() - s) / 1e9, "s");
                report("sd15_txt2img_512_2steps", before, ProcStat.now());
            }
        }
    }

    /**
     * Two steps with gradient_checkpointing, then two without, each timed against a GEMM peak
     * measured right before it (other load on the machine shifts both alike).
     */
    private static void training(StableDiffusion model) throws IOException {
        try (TrainableLoraNetwork net = TrainableLoraNetwork.create(model,
                NetworkOptions.defaults().withDim(RANK, RANK / 2f).withParts(true, false),
                RandomGenerator.of("L64X128MixRandom"), null)) {
            double flops = 2 * Sd15Bench.unetFlops(model.config().unet(), 64, 64, 77) + loraFlops(net);
            bench("sd15_lora_r32_step_tflop", flops / 1e12, "TFLOP");
            boolean[] modes = Boolean.getBoolean("sd15.bench.checkpointingOnly") ? new boolean[] {true} : new boolean[] {true, false};
            for (boolean checkpointing : modes) {
                String name = "sd15_lora_r32_step_512" + (checkpointing ? "_gradient_checkpointing" : "");
                resetPeak();
                ProcStat b = ProcStat.now();
                trainStep(model, net, checkpointing);
                double gemm = Sd15Bench.gemmPeak();
                double seconds = trainStep(model, net, checkpointing);
                bench(name, seconds, "s");
                bench(name + "_gemm_peak", gemm / 1e9, "GFLOP/s");
                bench(name + "_fraction_of_gemm_peak", flops / seconds / gemm, "ratio");
                report(name, b, ProcStat.now());
            }
        }
    }

    /** One kohya step's forward and backward (gradients zeroed afterwards), in seconds. */
    private static double trainStep(StableDiffusion model, TrainableLoraNetwork net, boolean checkpointing) {
        net.setTraining(true, new SplittableRandom(1));
        try (NDManager step = model.manager().newSubManager()) {
            NDArray latents = step.randomNormal(new Shape(1, 4, 64, 64));
            NDArray context = step.randomNormal(new Shape(1, 77, 768));
            NDArray target = step.randomNormal(new Shape(1, 4, 64, 64));
            long s = System.nanoTime();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray t = OwnedArrays.of(step, new float[] {500});
                CheckpointTape tape = checkpointing ? new CheckpointTape(step, List.of(net)) : null;
                NDArray pred = tape == null ? model.unet().forward(latents, t, context)
                        : model.unet().forward(latents, t, context, tape);
                String phase = "train" + (checkpointing ? "_gradient_checkpointing" : "");
                probe(phase + "_after_forward");
                gc.backward(pred.sub(target).square().mean());
                probe(phase + "_after_loss_backward");
                if (tape != null) {
                    tape.backward();
                    probe(phase + "_after_tape_backward");
                }
            }
            NDArray grad = net.layers().get(0).down().getGradient();
            grad.attach(step);
            grad.getFloat(0, 0);
            return (System.nanoTime() - s) / 1e9;
        } finally {
            net.zeroGradients();
            net.setTraining(false, null);
        }
    }

    /** Prompt and negative through CLIP, two CFG evaluations at batch 2, one VAE decode. */
    private static void textToImage(StableDiffusion model) {
        JniUtils.setGradMode(false);
        try (NDManager run = model.manager().newSubManager()) {
            long[] ids = new long[2 * 77];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i % 77 == 0 ? 49406 : i % 77 < 9 ? 320 + i % 77 : 49407;
            }
            NDArray context = model.textEncoder().forward(run.create(ids, new Shape(2, 77))).lastHiddenState();
            probe("txt2img_after_text_encoder");
            NDArray x = run.randomNormal(new Shape(1, 4, 64, 64));
            for (float t : new float[] {999, 499}) {
                try (NDManager step = run.newSubManager()) {
                    x.tempAttach(step);
                    NDArray eps = model.unet().forward(x.repeat(0, 2), step.create(new float[] {t, t}), context);
                    NDArray guided = eps.get("0:1").add(eps.get("1:2").sub(eps.get("0:1")).mul(7f));
                    NDArray next = x.sub(guided.mul(0.5f));
                    next.attach(run);
                    x = next;
                }
                probe("txt2img_after_unet_step_t" + (int) t);
            }
            model.vae().decode(x).toFloatArray();
            probe("txt2img_after_vae_decode");
        }
    }

    /**
     * The LoRA branch's multiply-adds in a step, 2 FLOPs each: forward down+up, backward the two
     * weight gradients and the input gradient through both: 4x the forward. Token counts per layer
     * are not known here, so each layer's share is taken at the 64x64 level's 4096 positions scaled
     * by its width (deeper, wider levels have 4x fewer positions per halving of the side).
     */
    private static double loraFlops(TrainableLoraNetwork net) {
        double total = 0;
        for (LoraLayer l : net.layers()) {
            long[] down = l.down().getShape().getShape();
            long[] up = l.up().getShape().getShape();
            long in = down.length == 4 ? down[1] * down[2] * down[3] : down[1];
            long out = up[0];
            long width = Math.max(in, out) / (down.length == 4 ? down[2] * down[3] : 1);
            double positions = width >= 1280 ? 64 * 64 / 16.0 : width >= 640 ? 64 * 64 / 4.0 : 64 * 64;
            total += 4 * 2.0 * positions * RANK * (in + out);
        }
        return total;
    }

    private static void report(String name, ProcStat from, ProcStat to) throws IOException {
        bench(name + "_rss_at_start", from.rssKiB / 1024.0 / 1024.0, "GiB");
        bench(name + "_peak_rss", Sd15Bench.peakRssKiB() / 1024.0 / 1024.0, "GiB");
        bench(name + "_minor_faults", (to.minorFaults - from.minorFaults) / 1e6, "M");
        bench(name + "_user_cpu", (to.userTicks - from.userTicks) / 100.0, "s");
        bench(name + "_sys_cpu", (to.sysTicks - from.sysTicks) / 100.0, "s");
        double cpu = (to.userTicks - from.userTicks) + (to.sysTicks - from.sysTicks);
        bench(name + "_sys_fraction", cpu == 0 ? 0 : (to.sysTicks - from.sysTicks) / cpu, "ratio");
    }

    /**
     * Where a phase's memory goes: RSS now and the peak since the phase began, as a comment line
     * (VmHWM is not reset here, so a later probe's peak includes the earlier ones).
     */
    private static void probe(String where) {
        try {
            System.out.printf("# rss %s: now %.2f GiB, peak %.2f GiB%n", where,
                    ProcStat.now().rssKiB / 1024.0 / 1024.0, Sd15Bench.peakRssKiB() / 1024.0 / 1024.0);
        } catch (IOException e) {
            System.out.println("# cannot read RSS: " + e.getMessage());
        }
    }

    private static void bench(String name, double value, String unit) {
        System.out.printf("BENCH %s %.4g %s%n", name, value, unit);
    }

    /** Resets VmHWM to the current RSS (Linux 4.0+), so the next phase's peak is its own. */
    private static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            System.out.println("# cannot reset the peak RSS mark: " + e.getMessage());
        }
    }

    /** Minor faults and CPU ticks (USER_HZ, 100/s) of this process, from /proc/self/stat. */
    private record ProcStat(long minorFaults, long userTicks, long sysTicks, long rssKiB) {
        static ProcStat now() throws IOException {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long rss = -1;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            // after "pid (comm) ": state is f[0]; minflt field 10 -> f[7], utime 14 -> f[11], stime 15 -> f[12]
            return new ProcStat(Long.parseLong(f[7]), Long.parseLong(f[11]), Long.parseLong(f[12]), rss);
        }
    }
}
