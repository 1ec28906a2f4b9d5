package dev.bakehouse.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KSamplerTest {
    private static final DiscreteSchedule SD15 = DiscreteSchedule.sd15();
    /** A stand-in UNet: eps = 0.9 xIn + 0.1 mean(context). */
    private static final EpsPredictor FAKE = (xIn, t, context) ->
            xIn.mul(0.9).add(context.mean(new int[] {2}).mean(new int[] {1}).reshape(xIn.getShape().get(0), 1, 1, 1).mul(0.1));

    @Test
    void sigmas_denoiseBelowOne_keepsTheLastStepsOfALongerSchedule() {
        double[] all = SigmaScheduler.NORMAL.sigmas(SD15, 20);
        assertArrayEquals(Arrays.copyOfRange(all, 10, 21), KSampler.sigmas(SD15, SigmaScheduler.NORMAL, SamplerName.EULER, 10, 0.5));
        double[] karras = SigmaScheduler.KARRAS.sigmas(SD15, 12); // int(10 / 0.8)
        assertArrayEquals(Arrays.copyOfRange(karras, 2, 13), KSampler.sigmas(SD15, SigmaScheduler.KARRAS, SamplerName.EULER, 10, 0.8));
        assertEquals(0, KSampler.sigmas(SD15, SigmaScheduler.NORMAL, SamplerName.EULER, 10, 0.0).length);
    }

    @Test
    void noiseScaling_atSigmaMax_usesSqrtOnePlusSigmaSquared() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray noise = m.ones(new Shape(1, 4, 2, 2));
            NDArray latent = m.full(new Shape(1, 4, 2, 2), 0.5f);
            double top = SD15.sigmaMax();
            assertEquals(Math.sqrt(1 + top * top) + 0.5, KSampler.noiseScaling(SD15, top, noise, latent).getFloat(0, 0, 0, 0), 1e-4);
            assertEquals(3.0 + 0.5, KSampler.noiseScaling(SD15, 3.0, noise, latent).getFloat(0, 0, 0, 0), 1e-5);
        }
    }

    private static float[] sample(NDManager m, Seed seed, SamplerName sampler, AtomicInteger steps) {
        NDArray latent = m.zeros(new Shape(1, 4, 8, 8));
        NDArray pos = m.full(new Shape(1, 77, 8), 0.3f);
        NDArray neg = m.full(new Shape(1, 77, 8), -0.2f);
        KSampler.Settings settings = new KSampler.Settings(seed, 6, 7.0, sampler, SigmaScheduler.KARRAS, 1.0);
        return KSampler.sample(m, FAKE, SD15, latent, pos, neg, settings, (step, total, d) -> steps.incrementAndGet(), () -> false)
                .toFloatArray();
    }

    @Test
    void sample_sameSeedSameResult_otherSeedOtherResult_everySampler() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (SamplerName name : SamplerName.values()) {
                AtomicInteger steps = new AtomicInteger();
                float[] a = sample(m, Seed.of(42), name, steps);
                float[] b = sample(m, Seed.of(42), name, steps);
                float[] c = sample(m, Seed.of(43), name, steps);
                assertArrayEquals(a, b, name.comfyName());
                assertFalse(Arrays.equals(a, c), name.comfyName());
                assertEquals(18, steps.get(), name.comfyName());
                for (float v : a) {
                    assertTrue(Float.isFinite(v), name.comfyName());
                }
            }
        }
    }

    @Test
    void sample_leavesOnlyTheResultInTheCallersManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            int before = m.getManagedArrays().size();
            NDManager caller = m.newSubManager();
            NDArray latent = m.zeros(new Shape(1, 4, 8, 8));
            NDArray pos = m.full(new Shape(1, 77, 8), 0.3f);
            KSampler.Settings settings = new KSampler.Settings(Seed.of(1), 5, 4.0, SamplerName.DPMPP_2M, SigmaScheduler.NORMAL, 1.0);
            NDArray out = KSampler.sample(caller, FAKE, SD15, latent, pos, pos, settings, StepListener.none(), () -> false);
            assertEquals(1, caller.getManagedArrays().size());
            assertEquals(out, caller.getManagedArrays().get(0));
            caller.close();
            assertEquals(before + 2, m.getManagedArrays().size()); // latent and context only
        }
    }

    @Test
    void names_areComfyUiNames() {
        assertEquals(SamplerName.DPMPP_2M, SamplerName.fromComfyName("dpmpp_2m"));
        assertEquals(SigmaScheduler.DDIM_UNIFORM, SigmaScheduler.fromComfyName("ddim_uniform"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SigmaScheduler.fromComfyName("AYS"));
        assertTrue(e.getMessage().contains("karras"), e.getMessage());
        IllegalArgumentException sde = assertThrows(IllegalArgumentException.class, () -> SamplerName.fromComfyName("dpmpp_2m_sde"));
        assertTrue(sde.getMessage().contains("dpmpp_2s_ancestral"), sde.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KSampler.Settings(Seed.of(1), 0, 7, SamplerName.EULER, SigmaScheduler.NORMAL, 1));
    }

    @Test
    void stepWindow_slicesLikeKSamplerAdvanced() {
        double[] all = SigmaScheduler.NORMAL.sigmas(SD15, 20);
        assertArrayEquals(Arrays.copyOfRange(all, 5, 21), new KSampler.StepWindow(5, 10000, true, false).apply(all));
        double[] leftover = new KSampler.StepWindow(0, 12, true, false).apply(all);
        assertArrayEquals(Arrays.copyOf(all, 13), leftover);
        double[] full = new KSampler.StepWindow(4, 12, false, true).apply(all);
        assertEquals(9, full.length);
        assertEquals(all[4], full[0]);
        assertEquals(0.0, full[8]);
        assertEquals(0, new KSampler.StepWindow(20, 10000, true, false).apply(all).length);
    }

    @Test
    void twoAdvancedHalves_equalOneFullRun_forADeterministicSampler() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray latent = m.zeros(new Shape(1, 4, 8, 8));
            NDArray pos = m.full(new Shape(1, 77, 8), 0.3f);
            KSampler.Settings settings = new KSampler.Settings(Seed.of(5), 10, 3.0, SamplerName.EULER, SigmaScheduler.KARRAS, 1.0);
            float[] whole = KSampler.sample(m, FAKE, SD15, latent, pos, null, settings, StepListener.none(), () -> false).toFloatArray();
            NDArray first = KSampler.sample(m, FAKE, SD15, latent, pos, null, settings,
                    new KSampler.StepWindow(0, 4, true, false), StepListener.none(), () -> false);
            float[] second = KSampler.sample(m, FAKE, SD15, first, pos, null, settings,
                    new KSampler.StepWindow(4, 10000, false, false), StepListener.none(), () -> false).toFloatArray();
            assertArrayEquals(whole, second, 1e-5f);
        }
    }
}
