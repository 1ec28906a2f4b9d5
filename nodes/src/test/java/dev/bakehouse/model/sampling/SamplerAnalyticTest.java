package dev.bakehouse.model.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Samplers against hand-computed updates, closed forms and an independent float64 DPM++ 2M. */
class SamplerAnalyticTest {
    private static final DiscreteSchedule SD15 = DiscreteSchedule.sd15();
    private final GaussianData data = new GaussianData(0.5);
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private float[] run(Sampler sampler, double[] sigmas) {
        SamplingRun run = new SamplingRun(manager, StepListener.none(), () -> false, NoiseSource.zeros());
        return sampler.sample(data.denoiser(manager), data.startArray(manager), sigmas, run).toFloatArray();
    }

    @Test
    void euler_oneStep_isHandComputedUpdate() {
        double s0 = 14.6146, s1 = 9.7;
        float[] out = run(new EulerSampler(), new double[] {s0, s1});
        for (int i = 0; i < out.length; i++) {
            double x = (float) data.start[i];
            double expected = x + (s1 - s0) * (x - data.denoise(x, i, s0)) / s0;
            assertEquals(expected, out[i], 2e-5 * Math.max(1, Math.abs(expected)));
        }
    }

    /** max error against the closed-form ODE solution at sigma_end, for n log-uniform steps. */
    private double errorAgainstClosedForm(Sampler sampler, int n) {
        return data.maxErrorAtOdeEnd(run(sampler, GaussianData.logUniformSigmas(n)));
    }

    @Test
    void euler_convergesAtFirstOrder() {
        double coarse = errorAgainstClosedForm(new EulerSampler(), 20);
        double fine = errorAgainstClosedForm(new EulerSampler(), 40);
        assertTrue(coarse / fine > 1.7 && coarse / fine < 2.3, "error ratio " + coarse / fine);
    }

    @Test
    void dpmpp2m_convergesAtSecondOrder() {
        double coarse = errorAgainstClosedForm(new DpmPp2mSampler(), 20);
        double fine = errorAgainstClosedForm(new DpmPp2mSampler(), 40);
        assertTrue(coarse / fine > 3.3, "error ratio " + coarse / fine);
        assertTrue(coarse < errorAgainstClosedForm(new EulerSampler(), 20) / 10);
    }

    /** DPM-Solver++(2M) (Lu et al. 2022, Alg. 2 with alpha = 1, lambda = -log sigma) on doubles. */
    private double[] referenceDpmpp2m(double[] sigmas) {
        double[] x = data.start.clone();
        double[] previous = null;
        for (int i = 0; i + 1 < sigmas.length; i++) {
            double[] d0 = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                d0[k] = data.denoise(x[k], k, sigmas[i]);
            }
            double lambda = -Math.log(sigmas[i]);
            double lambdaNext = sigmas[i + 1] == 0 ? Double.POSITIVE_INFINITY : -Math.log(sigmas[i + 1]);
            double h = lambdaNext - lambda;
            for (int k = 0; k < x.length; k++) {
                double d = d0[k];
                if (previous != null && sigmas[i + 1] != 0) {
                    double r = (lambda + Math.log(sigmas[i - 1])) / h;
                    d = (1 + 1 / (2 * r)) * d0[k] - previous[k] / (2 * r);
                }
                x[k] = sigmas[i + 1] / sigmas[i] * x[k] + (1 - Math.exp(-h)) * d;
            }
            previous = d0;
        }
        return x;
    }

    @Test
    void dpmpp2m_matchesFloat64Reference_normalAndKarras() {
        for (double[] sigmas : List.of(SigmaScheduler.NORMAL.sigmas(SD15, 12), SigmaScheduler.KARRAS.sigmas(SD15, 12))) {
            float[] out = run(new DpmPp2mSampler(), sigmas);
            double[] expected = referenceDpmpp2m(sigmas);
            for (int i = 0; i < out.length; i++) {
                assertEquals(expected[i], out[i], 1e-4 * Math.max(1, Math.abs(expected[i])), "element " + i);
            }
        }
    }

    @Test
    void ddim_equalsEuler_onDdimUniformSigmas() {
        double[] sigmas = SigmaScheduler.DDIM_UNIFORM.sigmas(SD15, 10);
        float[] ddim = run(new DdimSampler(), sigmas);
        float[] euler = run(new EulerSampler(), sigmas);
        for (int i = 0; i < ddim.length; i++) {
            assertEquals(euler[i], ddim[i], 1e-4 * Math.max(1, Math.abs(euler[i])));
        }
    }

    @Test
    void ddim_oneStep_isAlphaSpaceUpdate() {
        double s0 = 5.0, s1 = 2.0;
        float[] out = run(new DdimSampler(), new double[] {s0, s1});
        double a0 = 1 / (1 + s0 * s0), a1 = 1 / (1 + s1 * s1);
        for (int i = 0; i < out.length; i++) {
            double x = (float) data.start[i];
            double xt = x * Math.sqrt(a0);
            double eps = (x - data.denoise(x, i, s0)) / s0;
            double x0 = (xt - Math.sqrt(1 - a0) * eps) / Math.sqrt(a0);
            double expected = (Math.sqrt(a1) * x0 + Math.sqrt(1 - a1) * eps) / Math.sqrt(a1);
            assertEquals(expected, out[i], 2e-5 * Math.max(1, Math.abs(expected)));
        }
    }

    @Test
    void eulerAncestral_withoutNoise_stepsToSigmaDown() {
        double s0 = 8.0, s1 = 3.0;
        double[] downUp = EulerAncestralSampler.ancestralStep(s0, s1, 1.0);
        assertEquals(s1 * s1, downUp[0] * downUp[0] + downUp[1] * downUp[1], 1e-12);
        float[] out = run(new EulerAncestralSampler(), new double[] {s0, s1});
        for (int i = 0; i < out.length; i++) {
            double x = (float) data.start[i];
            double expected = x + (downUp[0] - s0) * (x - data.denoise(x, i, s0)) / s0;
            assertEquals(expected, out[i], 2e-5 * Math.max(1, Math.abs(expected)));
        }
    }

    @Test
    void samplers_lastStepToZero_returnDenoised() {
        for (Sampler sampler : List.of(new EulerSampler(), new EulerAncestralSampler(), new DpmPp2mSampler(), new DdimSampler())) {
            float[] out = run(sampler, new double[] {2.0, 0.0});
            for (int i = 0; i < out.length; i++) {
                double x = (float) data.start[i];
                assertEquals(data.denoise(x, i, 2.0), out[i], 1e-5, sampler.getClass().getSimpleName());
            }
        }
    }

    @Test
    void sample_reportsEveryStep_andStopsWhenInterrupted() {
        List<String> seen = new ArrayList<>();
        int[] polls = {0};
        SamplingRun run = new SamplingRun(manager, (step, total, denoised) -> seen.add(step + "/" + total),
                () -> polls[0]++ == 3, NoiseSource.zeros());
        SamplingInterruptedException e = assertThrows(SamplingInterruptedException.class,
                () -> new EulerSampler().sample(data.denoiser(manager), data.startArray(manager), SigmaScheduler.NORMAL.sigmas(SD15, 8), run));
        assertEquals(List.of("1/8", "2/8", "3/8"), seen);
        assertEquals(3, e.completedSteps());
    }

    @Test
    void sample_everyStepInChildManager_noArraysLeftBehind() {
        NDArray start = data.startArray(manager);
        Denoiser denoiser = data.denoiser(manager);
        int before = manager.getManagedArrays().size();
        for (Sampler sampler : List.of(new EulerSampler(), new EulerAncestralSampler(), new DpmPp2mSampler(), new DdimSampler())) {
            try (NDManager run = manager.newSubManager()) {
                SamplingRun samplingRun = new SamplingRun(run, StepListener.none(), () -> false, TorchNoise.ancestral(Seed.of(3)));
                NDArray out = sampler.sample(denoiser, start, SigmaScheduler.KARRAS.sigmas(SD15, 30), samplingRun);
                assertEquals(List.of(out), run.getManagedArrays(), sampler.getClass().getSimpleName());
            }
        }
        assertEquals(before, manager.getManagedArrays().size());
    }
}
