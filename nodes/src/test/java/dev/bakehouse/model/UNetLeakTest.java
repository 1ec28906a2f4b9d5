package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * 500 UNet steps after 300 of warm-up, each in a child manager: the model's array count stays put
 * and the resident set stops growing. The warm-up is excluded: the JVM's young generation pages in
 * while it fills for the first time (measured: +300 MB over steps 50..350, then within ~15 MB up to
 * step 1500), which is heap warm-up, not native memory.
 *
 * <p>Growth is measured as a slope, not a difference of two readings: RSS is read after every step
 * and fitted by least squares in ten windows of 50 steps; the median window slope is the
 * steady-state growth per step. A one-off jump (the JVM resizing its heap under load: +155 MB once
 * on the shared 2-core machine while the array count stayed exactly flat) lands in one window and
 * moves the median little, while a leak of even one latent-sized tensor a step shows in every window.
 */
class UNetLeakTest {
    private static final int WARMUP = 300;
    private static final int WINDOWS = 10;
    private static final int WINDOW_STEPS = 50;
    /**
     * A step allocates ~10 MB in ~1,400 results, so a leaked step manager would grow RSS by ~10,000
     * KiB a step, and one leaked context-sized (1, 77, 32) tensor by ~10 KiB. Without a leak the
     * median window slope measured 3.1 and 4.2 KiB/step on the shared 2-core machine (the heap is
     * still paging in slowly; single windows reached 885). The bound sits well above that noise and
     * catches a leak of 32 KiB a step: 30 times finer than the old 240 MB-over-250-steps check.
     * (A deliberate leak of one 38.5 KiB tensor a step measured a median of 50 KiB/step and failed.)
     */
    private static final double SLOPE_BOUND_KIB_PER_STEP = 32.0;

    @Test
    void unetSteps_keepArrayCountFlat_andRssSlopeNearZero() throws Exception {
        try (StableDiffusion model = TinyFixtureModel.load("tiny.safetensors")) {
            NDManager base = model.manager();
            long arraysAtWarmup = 0;
            int steps = WINDOWS * WINDOW_STEPS;
            long[] rss = new long[steps];
            for (int i = 0; i < WARMUP + steps; i++) {
                try (NDManager step = base.newSubManager()) {
                    NDArray x = step.randomNormal(new Shape(1, 4, 8, 8));
                    NDArray t = step.create(new float[] {(i * 37) % 1000});
                    NDArray context = step.randomNormal(new Shape(1, 77, 32));
                    NDArray eps = model.unet().forward(x, t, context);
                    assertEquals(new Shape(1, 4, 8, 8), eps.getShape());
                }
                if (i == WARMUP - 1) {
                    arraysAtWarmup = base.getManagedArrays().size();
                } else if (i >= WARMUP) {
                    rss[i - WARMUP] = rssKiB();
                }
            }
            long arraysAfter = base.getManagedArrays().size();
            double[] slopes = new double[WINDOWS];
            for (int w = 0; w < WINDOWS; w++) {
                slopes[w] = slope(rss, w * WINDOW_STEPS, WINDOW_STEPS);
            }
            double overall = slope(rss, 0, steps);
            double[] sorted = slopes.clone();
            Arrays.sort(sorted);
            double median = (sorted[WINDOWS / 2 - 1] + sorted[WINDOWS / 2]) / 2;
            System.out.printf("LEAK arrays %d -> %d; VmRSS %d -> %d KiB over %d steps; slope KiB/step: median of "
                    + "windows %.3f, overall %.3f, windows %s%n", arraysAtWarmup, arraysAfter, rss[0], rss[steps - 1],
                    steps, median, overall, Arrays.toString(Arrays.stream(slopes).map(v -> Math.round(v * 100) / 100.0)
                            .toArray()));
            assertEquals(arraysAtWarmup, arraysAfter, "arrays in the model's manager");
            assertTrue(median < SLOPE_BOUND_KIB_PER_STEP, "RSS grows by " + median + " KiB per step (median of "
                    + WINDOWS + " windows of " + WINDOW_STEPS + " steps: " + Arrays.toString(slopes) + ")");
        }
    }

    /** Least-squares slope of {@code y[from .. from+n)} against the step index. */
    private static double slope(long[] y, int from, int n) {
        double meanX = (n - 1) / 2.0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanY += y[from + i];
        }
        meanY /= n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (i - meanX) * (y[from + i] - meanY);
            sxx += (i - meanX) * (i - meanX);
        }
        return sxy / sxx;
    }

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
