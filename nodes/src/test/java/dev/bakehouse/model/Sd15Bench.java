package dev.bakehouse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.unet.UNetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Full-size SD1.5 on CPU: a synthetic checkpoint with SD1.5's exact keys and shapes (random
 * weights, built in memory) is loaded, then one UNet step on a 64x64 latent (512x512 image) and one
 * VAE decode to 512x512 are timed. The UNet step's FLOP rate is reported against a 2048x2048 fp32
 * matmul measured in the same run (the machine's practical GEMM peak); the second UNet step is the
 * reported one (the first includes oneDNN's kernel selection).
 * Prints {@code BENCH <name> <value> <unit>} lines.
 */
public final class Sd15Bench {
    private Sd15Bench() {}

    public static void main(String[] args) throws Exception {
        double gemmFlops = gemmPeak();
        bench("gemm_2048_fp32", gemmFlops / 1e9, "GFLOP/s");

        long t0 = System.nanoTime();
        try (StableDiffusion model = StableDiffusion.load(SyntheticWeights.sd15(42), ModelConfig.sd15(), ComputeDevice.CPU)) {
            bench("sd15_load_synthetic", (System.nanoTime() - t0) / 1e9, "s");
            bench("sd15_parameters", model.params().parameterCount() / 1e6, "M");

            double flops = unetFlops(model.config().unet(), 64, 64, 77);
            bench("sd15_unet_step_512_gflop", flops / 1e9, "GFLOP");
            bench("sd15_unet_step_512_first", unetStepSeconds(model), "s");
            double seconds = unetStepSeconds(model);
            bench("sd15_unet_step_512", seconds, "s");
            bench("sd15_unet_step_512_rate", flops / seconds / 1e9, "GFLOP/s");
            bench("sd15_unet_step_512_fraction_of_gemm_peak", flops / seconds / gemmFlops, "ratio");
            bench("sd15_peak_rss_after_unet", peakRssKiB() / 1024.0 / 1024.0, "GiB");

            try (NDManager step = model.manager().newSubManager()) {
                NDArray z = step.randomNormal(new Shape(1, 4, 64, 64));
                long s = System.nanoTime();
                NDArray image = model.vae().decode(z);
                image.toFloatArray();
                bench("sd15_vae_decode_512", (System.nanoTime() - s) / 1e9, "s");
            }
            bench("sd15_peak_rss", peakRssKiB() / 1024.0 / 1024.0, "GiB");
        }
    }

    /** One UNet forward at batch 1 on a 64x64 latent with a 77-token context, in seconds. */
    private static double unetStepSeconds(StableDiffusion model) {
        try (NDManager step = model.manager().newSubManager()) {
            NDArray x = step.randomNormal(new Shape(1, 4, 64, 64));
            NDArray t = step.create(new float[] {500});
            NDArray context = step.randomNormal(new Shape(1, 77, 768));
            long s = System.nanoTime();
            model.unet().forward(x, t, context).toFloatArray();
            return (System.nanoTime() - s) / 1e9;
        }
    }

    private static void bench(String name, double value, String unit) {
        System.out.printf("BENCH %s %.4g %s%n", name, value, unit);
    }

    /** Best of 10 2048x2048 fp32 matmuls, after a warm-up. */
    public static double gemmPeak() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(2048, 2048));
            NDArray b = m.randomNormal(new Shape(2048, 2048));
            a.matMul(b).toFloatArray();
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 10; i++) {
                try (NDManager s = m.newSubManager()) {
                    a.tempAttach(s);
                    long t = System.nanoTime();
                    a.matMul(b).getFloat(0, 0);
                    best = Math.min(best, (System.nanoTime() - t) / 1e9);
                }
            }
            return 2.0 * 2048 * 2048 * 2048 / best;
        }
    }

    /**
     * Multiply-add FLOPs (2 per MAC) of convolutions, linears and attention matmuls of one UNet
     * forward at batch 1; norms and activations are memory-bound and left out.
     */
    public static double unetFlops(UNetConfig c, int h, int w, int contextLength) {
        double f = conv(c.inChannels(), c.modelChannels(), 3, h, w);
        java.util.ArrayDeque<Long> skips = new java.util.ArrayDeque<>();
        long ch = c.modelChannels();
        skips.push(ch);
        for (int level = 0; level < c.levels(); level++) {
            for (int r = 0; r < c.numResBlocks(); r++) {
                f += res(ch, c.channels(level), h, w);
                ch = c.channels(level);
                f += c.hasAttention(level) ? transformer(c, ch, h, w, contextLength) : 0;
                skips.push(ch);
            }
            if (level != c.levels() - 1) {
                h /= 2;
                w /= 2;
                f += conv(ch, ch, 3, h, w);
                skips.push(ch);
            }
        }
        f += 2 * res(ch, ch, h, w) + transformer(c, ch, h, w, contextLength);
        for (int level = c.levels() - 1; level >= 0; level--) {
            for (int r = 0; r <= c.numResBlocks(); r++) {
                f += res(ch + skips.pop(), c.channels(level), h, w);
                ch = c.channels(level);
                f += c.hasAttention(level) ? transformer(c, ch, h, w, contextLength) : 0;
                if (level != 0 && r == c.numResBlocks()) {
                    h *= 2;
                    w *= 2;
                    f += conv(ch, ch, 3, h, w);
                }
            }
        }
        return f + conv(ch, c.outChannels(), 3, h, w);
    }

    private static double conv(long in, long out, int k, long h, long w) {
        return 2.0 * in * out * k * k * h * w;
    }

    private static double res(long in, long out, long h, long w) {
        return conv(in, out, 3, h, w) + conv(out, out, 3, h, w) + (in == out ? 0 : conv(in, out, 1, h, w));
    }

    private static double transformer(UNetConfig c, long ch, long h, long w, long s) {
        double n = (double) h * w;
        double cc = 2.0 * ch * ch * n;
        double self = 4 * cc + 4.0 * n * n * ch;
        double cross = 2 * cc + 2 * 2.0 * c.contextDim() * ch * s + 4.0 * n * s * ch;
        double ff = 2.0 * ch * 8 * ch * n + 2.0 * 4 * ch * ch * n;
        return c.transformerDepthMiddle() * (self + cross + ff) + 2 * cc;
    }

    public static long peakRssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
