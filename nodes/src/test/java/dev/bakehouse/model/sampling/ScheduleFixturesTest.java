package dev.bakehouse.model.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bakehouse.model.sampling.DiffusersSchedules.TimestepSpacing;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import java.io.IOException;
import dev.bakehouse.testing.SharedResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every schedule array of {@code sd15-tiny/cases.safetensors}. F32 tensors: 1e-6 relative (the
 * README's tolerance); the F64 copies come from the same float64 math, so they are held to 1e-12.
 */
class ScheduleFixturesTest {
    private static final int STEPS = 20;
    private static SafetensorsFile cases;
    private static final DiscreteSchedule SD15 = DiscreteSchedule.sd15();

    @BeforeAll
    static void open() throws IOException {
        cases = SafetensorsFile.open(Fixtures.file("sd15-tiny/cases.safetensors"));
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(cases);
    }

    /** Compares with the F32 tensor {@code name} (1e-6 relative) and its {@code name_f64} copy (1e-12). */
    private static void check(String name, double[] actual) throws IOException {
        double[] f32 = cases.readDoubles(name);
        double[] f64 = cases.readDoubles(name + "_f64");
        assertEquals(f32.length, actual.length, name + " length");
        for (int i = 0; i < actual.length; i++) {
            assertEquals(f32[i], actual[i], 1e-6 * Math.abs(f32[i]) + 1e-12, name + "[" + i + "]");
            assertEquals(f64[i], actual[i], 1e-12 * Math.abs(f64[i]) + 1e-15, name + "_f64[" + i + "]");
        }
    }

    @Test
    void betasAndAlphasCumprod_scaledLinear() throws IOException {
        check("betas", SD15.betas());
        check("alphas_cumprod", SD15.alphasCumprod());
        assertEquals(0.029168, SD15.sigmaMin(), 1e-6);
        assertEquals(14.614642, SD15.sigmaMax(), 1e-6);
    }

    @Test
    void eulerSigmas_diffusersLeadingWithOffset() throws IOException {
        check("euler_sigmas_20", DiffusersSchedules.eulerSigmas(SD15, STEPS, TimestepSpacing.LEADING, 1));
        check("euler_timesteps_20", DiffusersSchedules.timesteps(1000, STEPS, TimestepSpacing.LEADING, 1));
    }

    @Test
    void eulerSigmas_diffusersLinspace_linearSigmaInterpolation() throws IOException {
        check("euler_sigmas_20_linspace", DiffusersSchedules.eulerSigmas(SD15, STEPS, TimestepSpacing.LINSPACE, 0));
        check("euler_timesteps_20_linspace", DiffusersSchedules.timesteps(1000, STEPS, TimestepSpacing.LINSPACE, 0));
    }

    @Test
    void eulerSigmas_diffusersTrailing() throws IOException {
        check("euler_sigmas_20_trailing", DiffusersSchedules.eulerSigmas(SD15, STEPS, TimestepSpacing.TRAILING, 0));
        check("euler_timesteps_20_trailing", DiffusersSchedules.timesteps(1000, STEPS, TimestepSpacing.TRAILING, 0));
    }

    @Test
    void kdiffusionSigmas_logSigmaInterpolation_isComfyNormal() throws IOException {
        check("kdiff_sigmas_20", Sigmas.kDiffusion(SD15, STEPS));
        check("kdiff_sigmas_20", SigmaScheduler.NORMAL.sigmas(SD15, STEPS));
    }

    @Test
    void karrasSigmas_fullRange_isComfyKarras() throws IOException {
        check("karras_sigmas_20", Sigmas.karras(STEPS, SD15.sigmaMin(), SD15.sigmaMax(), 7));
        check("karras_sigmas_20", SigmaScheduler.KARRAS.sigmas(SD15, STEPS));
        check("karras_sigmas_20", DiffusersSchedules.karrasSigmas(SD15, STEPS, TimestepSpacing.LINSPACE, 0));
        check("karras_timesteps_20", DiffusersSchedules.karrasTimesteps(SD15, STEPS, TimestepSpacing.LINSPACE, 0));
    }

    @Test
    void karrasSigmas_diffusersLeadingRange() throws IOException {
        check("karras_sigmas_20_leading", DiffusersSchedules.karrasSigmas(SD15, STEPS, TimestepSpacing.LEADING, 1));
    }

    @Test
    void ddimTimesteps_exactIntegers() throws IOException {
        assertArrayEquals(cases.readLongs("ddim_timesteps_20"),
                DiffusersSchedules.ddimTimesteps(1000, STEPS, TimestepSpacing.LEADING, 1));
        assertArrayEquals(cases.readLongs("ddim_timesteps_20_trailing"),
                DiffusersSchedules.ddimTimesteps(1000, STEPS, TimestepSpacing.TRAILING, 0));
    }

    @Test
    void comfySimple_isEveryFiftiethTrainedSigma_likeDiffusersTrailing() throws IOException {
        check("euler_sigmas_20_trailing", SigmaScheduler.SIMPLE.sigmas(SD15, STEPS));
    }

    @Test
    void comfyDdimUniform_isSigmaAtDdimLeadingTimesteps() throws IOException {
        long[] t = cases.readLongs("ddim_timesteps_20");
        double[] sigmas = SigmaScheduler.DDIM_UNIFORM.sigmas(SD15, STEPS);
        double[] trained = SD15.sigmas();
        assertEquals(STEPS + 1, sigmas.length);
        for (int i = 0; i < STEPS; i++) {
            assertEquals(trained[(int) t[i]], sigmas[i], 0.0, "step " + i);
        }
        assertEquals(0.0, sigmas[STEPS]);
    }

    @Test
    void comfyExponential_isLogUniformBetweenTrainedExtremes() {
        double[] sigmas = SigmaScheduler.EXPONENTIAL.sigmas(SD15, STEPS);
        assertEquals(SD15.sigmaMax(), sigmas[0], 1e-12);
        assertEquals(SD15.sigmaMin(), sigmas[STEPS - 1], 1e-12);
        double ratio = Math.log(sigmas[1] / sigmas[0]);
        for (int i = 1; i < STEPS; i++) {
            assertEquals(ratio, Math.log(sigmas[i] / sigmas[i - 1]), 1e-12);
        }
    }

    @Test
    void comfySgmUniform_dropsTheLastOfStepsPlusOneTimesteps() {
        double[] sigmas = SigmaScheduler.SGM_UNIFORM.sigmas(SD15, STEPS);
        assertEquals(STEPS + 1, sigmas.length);
        for (int i = 0; i < STEPS; i++) {
            assertEquals(SD15.sigma(999.0 - i * 999.0 / STEPS), sigmas[i], 1e-12);
        }
    }
}
