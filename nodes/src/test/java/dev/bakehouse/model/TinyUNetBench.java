package dev.bakehouse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The tiny fixture UNet, where per-op overhead dominates: milliseconds per forward at batch 1 and
 * 16 (8x8 latents), median of 50 after a warm-up. Prints {@code BENCH} lines.
 */
public final class TinyUNetBench {
    private TinyUNetBench() {}

    public static void main(String[] args) throws Exception {
        try (StableDiffusion model = TinyFixtureModel.load("tiny.safetensors")) {
            for (int batch : new int[] {1, 16}) {
                System.out.printf("BENCH tiny_unet_step_b%d %.2f ms%n", batch, medianMillis(model, batch));
            }
        }
    }

    private static double medianMillis(StableDiffusion model, int batch) {
        double[] times = new double[50];
        for (int i = -10; i < times.length; i++) {
            try (NDManager step = model.manager().newSubManager()) {
                NDArray x = step.randomNormal(new Shape(batch, 4, 8, 8));
                NDArray t = step.create(new float[] {500});
                NDArray context = step.randomNormal(new Shape(batch, 77, 32));
                long s = System.nanoTime();
                model.unet().forward(x, t, context).toFloatArray();
                if (i >= 0) {
                    times[i] = (System.nanoTime() - s) / 1e6;
                }
            }
        }
        java.util.Arrays.sort(times);
        return times[times.length / 2];
    }
}
