package dev.bakehouse.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * ComfyUI's noise is libtorch's CPU generator seeded with the seed: the pinned values are
 * {@code torch.manual_seed(0); torch.randn(...)} from PyTorch.
 */
class TorchNoiseTest {
    private static float[] firstThree(float[] a) {
        return Arrays.copyOf(a, 3);
    }

    @Test
    void initial_seed0_latentShape_matchesTorchRandn() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] noise = TorchNoise.initial(m, Seed.of(0), new Shape(1, 4, 8, 8)).toFloatArray();
            assertArrayEquals(new float[] {-1.1258f, -1.1524f, -0.2506f}, firstThree(noise), 1e-4f);
        }
    }

    /**
     * The whole latent, not three values, against an independent port of ATen's generator: the
     * port is pinned to PyTorch by seed 0's known values, then gives the reference for the largest
     * seed, 2^64-1, whose low 32 bits (all that ATen's mt19937 keeps) are 4294967295.
     */
    @Test
    void initial_wholeLatent_matchesAnIndependentMt19937Port_forSeed0AndTheLargestSeed() {
        Shape latent = new Shape(1, 4, 8, 8);
        float[] portSeed0 = Mt19937Randn.randn(0, 256);
        assertArrayEquals(new float[] {-1.1258f, -1.1524f, -0.2506f}, firstThree(portSeed0), 1e-4f, "the port is PyTorch's");
        try (NDManager m = NDManager.newBaseManager()) {
            for (Seed seed : new Seed[] {Seed.of(0), Seed.parse("18446744073709551615"), Seed.of(4294967295L),
                    Seed.of(123456789)}) {
                float[] noise = TorchNoise.initial(m, seed, latent).toFloatArray();
                assertArrayEquals(Mt19937Randn.randn(seed.bits(), 256), noise, 1e-5f, "seed " + seed);
            }
        }
    }

    @Test
    void initial_seed0_eightValues_matchesTorchRandn() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] noise = TorchNoise.initial(m, Seed.of(0), new Shape(8)).toFloatArray();
            assertArrayEquals(new float[] {1.5410f, -0.2934f, -2.1788f}, firstThree(noise), 1e-4f);
        }
    }

    @Test
    void ancestral_firstDrawRepeatsInitialNoise_laterDrawsContinueTheSequence() {
        Shape shape = new Shape(1, 4, 8, 8);
        try (NDManager m = NDManager.newBaseManager()) {
            Seed seed = Seed.of(1234);
            NoiseSource ancestral = TorchNoise.ancestral(seed);
            float[] initial = TorchNoise.initial(m, seed, shape).toFloatArray();
            float[] step0 = ancestral.next(m, shape, 0).toFloatArray();
            TorchNoise.initial(m, Seed.of(99), shape); // someone else draws in between
            float[] step1 = ancestral.next(m, shape, 1).toFloatArray();
            assertArrayEquals(initial, step0);
            synchronized (TorchNoise.LOCK) {
                ai.djl.pytorch.jni.JniUtils.setSeed(1234);
                m.randomNormal(shape).close();
                assertArrayEquals(m.randomNormal(shape).toFloatArray(), step1);
            }
            assertFalse(Arrays.equals(step0, step1));
        }
    }

    @Test
    void seed_unsigned64Bit_range() {
        assertEquals(-1L, Seed.parse("18446744073709551615").bits());
        assertEquals("18446744073709551615", Seed.parse("18446744073709551615").toString());
        assertEquals(new BigInteger("9223372036854775808"), Seed.of(new BigInteger("9223372036854775808")).value());
        assertThrows(IllegalArgumentException.class, () -> Seed.parse("18446744073709551616"));
        assertThrows(IllegalArgumentException.class, () -> Seed.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> Seed.of(-5L));
        assertThrows(IllegalArgumentException.class, () -> Seed.parse("12abc"));
    }

    @Test
    void seed_maxValue_seedsLibtorchAndIsReproducible() {
        Shape shape = new Shape(2, 4, 4, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            Seed max = Seed.parse("18446744073709551615");
            float[] a = TorchNoise.initial(m, max, shape).toFloatArray();
            float[] b = TorchNoise.initial(m, max, shape).toFloatArray();
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, TorchNoise.initial(m, Seed.of(0), shape).toFloatArray()));
        }
    }
}
