package dev.bakehouse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * fp32 matrix-multiply throughput through DJL: the physical limit other benchmarks divide by.
 * Multiplies two 2048×2048 matrices repeatedly and prints {@code BENCH gemm_fp32_2048 <GFLOP/s>}.
 */
public final class GemmPeakBench {
    private static final int N = 2048;
    private static final int WARMUP = 3;
    private static final int RUNS = 10;

    private GemmPeakBench() {}

    public static void main(String[] args) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomNormal(new Shape(N, N));
            NDArray b = manager.randomNormal(new Shape(N, N));
            for (int i = 0; i < WARMUP; i++) {
                multiply(manager, a, b);
            }
            long best = Long.MAX_VALUE;
            for (int i = 0; i < RUNS; i++) {
                best = Math.min(best, multiply(manager, a, b));
            }
            double flops = 2.0 * N * N * N;
            System.out.printf("BENCH gemm_fp32_%d %.1f GFLOP/s%n", N, flops / best);
        }
    }

    /** Nanoseconds for one product, including the wait for its result. */
    private static long multiply(NDManager manager, NDArray a, NDArray b) {
        try (NDManager step = manager.newSubManager()) {
            NDArray left = a.duplicate();
            left.attach(step);
            long start = System.nanoTime();
            NDArray product = left.matMul(b);
            product.getFloat(0, 0); // forces the computation to finish before the clock stops
            return System.nanoTime() - start;
        }
    }
}
