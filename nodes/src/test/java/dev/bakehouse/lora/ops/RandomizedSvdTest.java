package dev.bakehouse.lora.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RandomizedSvdTest {
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A rows x cols matrix of the given rank: (rows x rank gaussian) · (rank x cols gaussian) / sqrt(rank). */
    static float[] lowRank(int rows, int cols, int rank, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = new double[rows * rank];
        double[] b = new double[rank * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.nextGaussian() / Math.sqrt(rank);
        }
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int k = 0; k < rank; k++) {
                    s += a[i * rank + k] * b[k * cols + j];
                }
                out[i * cols + j] = (float) s;
            }
        }
        return out;
    }

    /** A full-rank matrix with a slowly decaying spectrum plus noise, like a fine-tune's weight difference. */
    static float[] fullRank(int rows, int cols, long seed) {
        float[] a = lowRank(rows, cols, Math.min(rows, cols), seed);
        float[] b = lowRank(rows, cols, 8, seed + 1);
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.2f * a[i] + b[i];
        }
        return a;
    }

    static float[] rebuild(TruncatedSvd svd) {
        int k = svd.rank();
        float[] out = new float[svd.rows() * svd.cols()];
        for (int i = 0; i < svd.rows(); i++) {
            for (int j = 0; j < svd.cols(); j++) {
                double s = 0;
                for (int r = 0; r < k; r++) {
                    s += (double) svd.u()[i * k + r] * svd.s()[r] * svd.vt()[r * svd.cols() + j];
                }
                out[i * svd.cols() + j] = (float) s;
            }
        }
        return out;
    }

    static double frobeniusError(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    static double maxAbsError(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void randomized_lowRankMatrix_reconstructsWithin1e4() {
        float[] a = lowRank(160, 120, 6, 1);
        TruncatedSvd svd = RandomizedSvd.of(manager, a, 160, 120, 6, RandomizedSvd.Settings.DEFAULT);
        assertEquals(6, svd.rank());
        assertTrue(maxAbsError(a, rebuild(svd)) < 1e-4, "max error " + maxAbsError(a, rebuild(svd)));
        assertEquals(1.0, svd.keptEnergy(), 1e-5);
    }

    @Test
    void exact_lowRankMatrix_reconstructsWithin1e4() {
        float[] a = lowRank(48, 72, 5, 2);
        TruncatedSvd svd = ExactSvd.of(a, 48, 72, 5);
        assertTrue(maxAbsError(a, rebuild(svd)) < 1e-4, "max error " + maxAbsError(a, rebuild(svd)));
    }

    @Test
    void randomized_fullRankMatrix_errorWithinOnePercentOfEckartYoung() {
        int rows = 256;
        int cols = 192;
        int k = 16;
        float[] a = fullRank(rows, cols, 3);
        TruncatedSvd exact = ExactSvd.of(a, rows, cols, k);
        TruncatedSvd fast = RandomizedSvd.of(manager, a, rows, cols, k, RandomizedSvd.Settings.DEFAULT);
        double exactError = frobeniusError(a, rebuild(exact));
        double fastError = frobeniusError(a, rebuild(fast));
        // Eckart–Young: the exact truncation's error is the energy of the dropped singular values
        assertEquals(Math.sqrt(exact.frobeniusSquared() * (1 - exact.keptEnergy())), exactError, 1e-3 * exactError);
        assertTrue(exactError > 0.1 * Math.sqrt(exact.frobeniusSquared()), "the test matrix must not be low-rank");
        assertTrue(fastError <= 1.01 * exactError, "randomized " + fastError + " vs exact " + exactError);
    }

    @Test
    void productSvd_equalsExactSvdOfTheProduct() {
        float[] left = lowRank(40, 7, 7, 4);
        float[] right = lowRank(7, 30, 7, 5);
        TruncatedSvd p = ProductSvd.of(left, right, 40, 7, 30);
        float[] product = new float[40 * 30];
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 30; j++) {
                double s = 0;
                for (int r = 0; r < 7; r++) {
                    s += (double) left[i * 7 + r] * right[r * 30 + j];
                }
                product[i * 30 + j] = (float) s;
            }
        }
        TruncatedSvd exact = ExactSvd.of(product, 40, 30, 7);
        for (int i = 0; i < 7; i++) {
            assertEquals(exact.s()[i], p.s()[i], 1e-4 * exact.s()[0]);
        }
        assertTrue(maxAbsError(product, rebuild(p)) < 1e-4);
    }

    @Test
    void randomized_manyCalls_leaveNoArraysInTheManager() {
        float[] a = fullRank(64, 48, 6);
        RandomizedSvd.of(manager, a, 64, 48, 4, RandomizedSvd.Settings.DEFAULT);
        int before = manager.getManagedArrays().size();
        for (int i = 0; i < 20; i++) {
            RandomizedSvd.of(manager, a, 64, 48, 4, RandomizedSvd.Settings.DEFAULT.withSeed(i));
        }
        assertEquals(before, manager.getManagedArrays().size());
    }

    @Test
    void factors_clampQuantile_clipsSymmetricallyAtTheSignedQuantile() {
        TruncatedSvd svd = new TruncatedSvd(2, 2, new float[] {1, 0, 0, 1}, new float[] {3, 1},
                new float[] {1, 0, 0, -1}, 10);
        LoraFactors.Factors f = LoraFactors.of(svd, 0.5);
        // joined values: up 3,0,0,1 and down 1,0,0,-1 -> sorted -1,0,0,0,0,1,1,3; median 0 -> all clipped to 0
        for (float v : f.up()) {
            assertEquals(0f, v);
        }
        LoraFactors.Factors none = LoraFactors.of(svd, null);
        assertEquals(3f, none.up()[0]);
        assertEquals(-1f, none.down()[3]);
    }
}
