package dev.bakehouse.model.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * heun, heunpp2, dpm_2, dpm_2_ancestral, lms, ipndm, dpmpp_2s_ancestral, ddpm and lcm on Gaussian data, whose
 * ideal denoiser and probability-flow ODE solution are closed forms ({@link GaussianData}):
 * each against a float64 implementation written here from the method's definition, the ODE
 * solvers' order of convergence, and the ancestral ones with a known per-step noise.
 */
class NewSamplersAnalyticTest {
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

    /** Deterministic stand-in for step i's standard-normal draw, element k. */
    private static double patternNoise(int step, int k) {
        return Math.sin(0.37 * k + 1.3 * step + 0.1);
    }

    /** Serves {@link #patternNoise} and records which steps asked. */
    private static final class PatternNoise implements NoiseSource {
        final List<Integer> steps = new ArrayList<>();

        @Override
        public NDArray next(NDManager m, ai.djl.ndarray.types.Shape shape, int step) {
            steps.add(step);
            double[] values = new double[(int) shape.size()];
            for (int k = 0; k < values.length; k++) {
                values[k] = patternNoise(step, k);
            }
            return m.create(GaussianData.toFloats(values), shape);
        }
    }

    private float[] run(Sampler sampler, double[] sigmas, NoiseSource noise) {
        SamplingRun run = new SamplingRun(manager, StepListener.none(), () -> false, noise);
        return sampler.sample(data.denoiser(manager), data.startArray(manager), sigmas, run).toFloatArray();
    }

    private float[] run(Sampler sampler, double[] sigmas) {
        return run(sampler, sigmas, NoiseSource.zeros());
    }

    private static void assertClose(double[] expected, float[] actual, double relative, String what) {
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], actual[k], relative * Math.max(1, Math.abs(expected[k])), what + " element " + k);
        }
    }

    /** error(20 steps) / error(40 steps) against the closed-form ODE solution: ~2^order. */
    private double convergenceRatio(Sampler sampler) {
        double coarse = data.maxErrorAtOdeEnd(run(sampler, GaussianData.logUniformSigmas(20)));
        double fine = data.maxErrorAtOdeEnd(run(sampler, GaussianData.logUniformSigmas(40)));
        return coarse / fine;
    }

    // ---- float64 references, one function per method -------------------------------------------------

    private double[] denoiseAll(double[] x, double sigma) {
        double[] d = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            d[k] = data.denoise(x[k], k, sigma);
        }
        return d;
    }

    private double[] slope(double[] x, double sigma) {
        double[] d = denoiseAll(x, sigma);
        for (int k = 0; k < x.length; k++) {
            d[k] = (x[k] - d[k]) / sigma;
        }
        return d;
    }

    private double[] start() {
        double[] x = new double[data.start.length];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) data.start[k];
        }
        return x;
    }

    /** Heun's method (explicit trapezoid) in sigma; Euler into sigma 0. */
    private double[] referenceHeun(double[] sigmas) {
        double[] x = start();
        for (int i = 0; i + 1 < sigmas.length; i++) {
            double h = sigmas[i + 1] - sigmas[i];
            double[] d = slope(x, sigmas[i]);
            double[] predictor = new double[x.length];
            for (int k = 0; k < x.length; k++) {
                predictor[k] = x[k] + h * d[k];
            }
            if (sigmas[i + 1] == 0) {
                x = predictor;
                continue;
            }
            double[] d2 = slope(predictor, sigmas[i + 1]);
            for (int k = 0; k < x.length; k++) {
                x[k] += h * (d[k] + d2[k]) / 2;
            }
        }
        return x;
    }

    /** heunpp2: slopes at sigma_i, sigma_{i+1}, sigma_{i+2} along Euler steps, weighted by sigma / sigma_0. */
    private double[] referenceHeunPp2(double[] sigmas) {
        double[] x = start();
        double last = sigmas[sigmas.length - 1];
        for (int i = 0; i + 1 < sigmas.length; i++) {
            double h = sigmas[i + 1] - sigmas[i];
            double[] d = slope(x, sigmas[i]);
            double[] weights = {1};
            List<double[]> slopes = new ArrayList<>(List.of(d));
            if (sigmas[i + 1] != last) {
                double[] x2 = new double[x.length];
                for (int k = 0; k < x.length; k++) {
                    x2[k] = x[k] + h * d[k];
                }
                double[] d2 = slope(x2, sigmas[i + 1]);
                slopes.add(d2);
                if (sigmas[i + 2] == last) {
                    double w2 = sigmas[i + 1] / (2 * sigmas[0]);
                    weights = new double[] {1 - w2, w2};
                } else {
                    double[] x3 = new double[x.length];
                    for (int k = 0; k < x.length; k++) {
                        x3[k] = x2[k] + (sigmas[i + 2] - sigmas[i + 1]) * d2[k];
                    }
                    slopes.add(slope(x3, sigmas[i + 2]));
                    double w2 = sigmas[i + 1] / (3 * sigmas[0]);
                    double w3 = sigmas[i + 2] / (3 * sigmas[0]);
                    weights = new double[] {1 - w2 - w3, w2, w3};
                }
            }
            for (int k = 0; k < x.length; k++) {
                double combined = 0;
                for (int j = 0; j < weights.length; j++) {
                    combined += weights[j] * slopes.get(j)[k];
                }
                x[k] += h * combined;
            }
        }
        return x;
    }

    /** One DPM-Solver-2 step: slope at the geometric mean of sigma and target; Euler into 0. */
    private double[] referenceDpm2Step(double[] x, double sigma, double target) {
        double[] d = slope(x, sigma);
        double[] out = new double[x.length];
        if (target == 0) {
            for (int k = 0; k < x.length; k++) {
                out[k] = x[k] - sigma * d[k];
            }
            return out;
        }
        double mid = Math.sqrt(sigma * target);
        double[] half = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            half[k] = x[k] + (mid - sigma) * d[k];
        }
        double[] dMid = slope(half, mid);
        for (int k = 0; k < x.length; k++) {
            out[k] = x[k] + (target - sigma) * dMid[k];
        }
        return out;
    }

    /** Ancestral split with eta 1: sigma_up^2 = s1^2 (s0^2 - s1^2) / s0^2, capped at s1. */
    private static double[] downUp(double s0, double s1) {
        double up = Math.min(s1, s1 / s0 * Math.sqrt(s0 * s0 - s1 * s1));
        return new double[] {Math.sqrt(s1 * s1 - up * up), up};
    }

    private double[] referenceDpm2Ancestral(double[] sigmas) {
        double[] x = start();
        for (int i = 0; i + 1 < sigmas.length; i++) {
            double[] du = downUp(sigmas[i], sigmas[i + 1]);
            x = referenceDpm2Step(x, sigmas[i], du[0]);
            if (du[0] > 0) {
                for (int k = 0; k < x.length; k++) {
                    x[k] += du[1] * patternNoise(i, k);
                }
            }
        }
        return x;
    }

    /** The Lagrange basis integral by Simpson's rule, exact for the cubic (at most) basis polynomials. */
    private static double simpsonLagrange(double[] sigmas, int i, int order, int j) {
        double a = sigmas[i];
        double b = sigmas[i + 1];
        double[] at = {a, (a + b) / 2, b};
        double[] value = new double[3];
        for (int p = 0; p < 3; p++) {
            double prod = 1;
            for (int m = 0; m < order; m++) {
                if (m != j) {
                    prod *= (at[p] - sigmas[i - m]) / (sigmas[i - j] - sigmas[i - m]);
                }
            }
            value[p] = prod;
        }
        return (b - a) / 6 * (value[0] + 4 * value[1] + value[2]);
    }

    /** ComfyUI's last step of lms and ipndm: x becomes the denoised, x - sigma * slope. */
    private static void denoisingStep(double[] x, double[] slope, double sigma) {
        for (int k = 0; k < x.length; k++) {
            x[k] -= sigma * slope[k];
        }
    }

    /** Adams-Bashforth of order min(i+1, 4) on the variable sigma grid; the step to 0 denoises. */
    private double[] referenceLms(double[] sigmas) {
        double[] x = start();
        List<double[]> history = new ArrayList<>(); // newest first
        for (int i = 0; i + 1 < sigmas.length; i++) {
            history.add(0, slope(x, sigmas[i]));
            if (sigmas[i + 1] == 0) {
                denoisingStep(x, history.get(0), sigmas[i]);
                break;
            }
            int order = Math.min(i + 1, 4);
            for (int j = 0; j < order; j++) {
                double c = simpsonLagrange(sigmas, i, order, j);
                for (int k = 0; k < x.length; k++) {
                    x[k] += c * history.get(j)[k];
                }
            }
        }
        return x;
    }

    /** Adams-Bashforth with equal-step weights (derived from the polynomial through the slopes at 0, -1, -2, -3). */
    private double[] referenceIpndm(double[] sigmas) {
        double[][] weights = {{1}, {1.5, -0.5}, {23 / 12.0, -4 / 3.0, 5 / 12.0}, {55 / 24.0, -59 / 24.0, 37 / 24.0, -3 / 8.0}};
        double[] x = start();
        List<double[]> history = new ArrayList<>(); // newest first
        for (int i = 0; i + 1 < sigmas.length; i++) {
            history.add(0, slope(x, sigmas[i]));
            if (sigmas[i + 1] == 0) {
                denoisingStep(x, history.get(0), sigmas[i]);
                break;
            }
            double[] w = weights[Math.min(i + 1, 4) - 1];
            for (int j = 0; j < w.length; j++) {
                for (int k = 0; k < x.length; k++) {
                    x[k] += (sigmas[i + 1] - sigmas[i]) * w[j] * history.get(j)[k];
                }
            }
        }
        return x;
    }

    /**
     * DPM-Solver++(2S) (Lu et al. 2022, Alg. 1, r = 1/2) to sigma_down in lambda = -log sigma, then
     * sigma_up noise; the data prediction at the midpoint drives the whole step.
     */
    private double[] referenceDpmpp2sAncestral(double[] sigmas, boolean ancestral) {
        double[] x = start();
        for (int i = 0; i + 1 < sigmas.length; i++) {
            double[] du = ancestral ? downUp(sigmas[i], sigmas[i + 1]) : new double[] {sigmas[i + 1], 0};
            double[] d0 = denoiseAll(x, sigmas[i]);
            if (du[0] == 0) {
                x = d0;
            } else {
                double lambda = -Math.log(sigmas[i]);
                double lambdaDown = -Math.log(du[0]);
                double h = lambdaDown - lambda;
                double sMid = Math.exp(-(lambda + h / 2));
                double[] u = new double[x.length];
                for (int k = 0; k < x.length; k++) {
                    u[k] = sMid / sigmas[i] * x[k] + (1 - Math.exp(-h / 2)) * d0[k];
                }
                double[] dMid = denoiseAll(u, sMid);
                for (int k = 0; k < x.length; k++) {
                    x[k] = du[0] / sigmas[i] * x[k] + (1 - Math.exp(-h)) * dMid[k];
                }
            }
            if (sigmas[i + 1] > 0) {
                for (int k = 0; k < x.length; k++) {
                    x[k] += du[1] * patternNoise(i, k);
                }
            }
        }
        return x;
    }

    /** LCM: jump to the clean estimate, re-noise it to the next level. */
    private double[] referenceLcm(double[] sigmas) {
        double[] x = start();
        for (int i = 0; i + 1 < sigmas.length; i++) {
            x = denoiseAll(x, sigmas[i]);
            for (int k = 0; k < x.length && sigmas[i + 1] > 0; k++) {
                x[k] += sigmas[i + 1] * patternNoise(i, k);
            }
        }
        return x;
    }

    /**
     * DDPM ancestral step as the posterior q(x_prev | x_t, x0) of Ho et al. (2020, eq. 6-7), x0 =
     * the model's clean estimate, in DDPM scale (x_t = x sqrt(a)).
     */
    private double[] referenceDdpm(double[] sigmas) {
        double[] x = start();
        for (int i = 0; i + 1 < sigmas.length; i++) {
            double a = 1 / (1 + sigmas[i] * sigmas[i]);
            double aPrev = 1 / (1 + sigmas[i + 1] * sigmas[i + 1]);
            double beta = 1 - a / aPrev;
            double[] x0 = denoiseAll(x, sigmas[i]);
            double variance = (1 - aPrev) / (1 - a) * beta;
            for (int k = 0; k < x.length; k++) {
                double xt = x[k] * Math.sqrt(a);
                double mean = Math.sqrt(aPrev) * beta / (1 - a) * x0[k] + Math.sqrt(a / aPrev) * (1 - aPrev) / (1 - a) * xt;
                double prev = mean + (sigmas[i + 1] > 0 ? Math.sqrt(variance) * patternNoise(i, k) : 0);
                x[k] = prev / Math.sqrt(aPrev);
            }
        }
        return x;
    }

    // ---- tests ---------------------------------------------------------------------------------------

    @Test
    void heun_dpm2_dpmpp2sWithoutNoise_convergeAtSecondOrder() {
        for (Sampler sampler : List.of(new HeunSampler(), new Dpm2Sampler(), new DpmPp2sAncestralSampler(0))) {
            double ratio = convergenceRatio(sampler);
            assertTrue(ratio > 3.5 && ratio < 4.6, sampler.getClass().getSimpleName() + " error ratio " + ratio);
        }
    }

    @Test
    void ipndm_onEquallySpacedSigmas_equalsLms() {
        // on an equal grid the Lagrange-integral weights of lms ARE the Adams-Bashforth weights
        double[] sigmas = Spacing.linspace(3.0, 1.0, 13);
        float[] lms = run(new LmsSampler(), sigmas);
        float[] ipndm = run(new IpndmSampler(), sigmas);
        for (int k = 0; k < lms.length; k++) {
            assertEquals(lms[k], ipndm[k], 1e-6 * Math.max(1, Math.abs(lms[k])));
        }
    }

    @Test
    void ipndm_onLogUniformSigmas_convergesAtLeastAtSecondOrder() {
        // equal-step weights on an unequal (geometric) grid: second order, ~4.3 here
        double ratio = convergenceRatio(new IpndmSampler());
        assertTrue(ratio > 3.5, "error ratio " + ratio);
    }

    @Test
    void lms_convergesFasterThanAnySecondOrderMethod() {
        // 4th-order steps after a 1st/2nd/3rd-order start: ~11.6 here, where a 2nd-order method gives ~4
        double ratio = convergenceRatio(new LmsSampler());
        assertTrue(ratio > 8, "error ratio " + ratio);
        double lms = data.maxErrorAtOdeEnd(run(new LmsSampler(), GaussianData.logUniformSigmas(40)));
        double heun = data.maxErrorAtOdeEnd(run(new HeunSampler(), GaussianData.logUniformSigmas(40)));
        assertTrue(lms < heun / 4, "lms " + lms + " heun " + heun);
    }

    @Test
    void odeSamplers_matchFloat64References_normalAndKarrasToZero() {
        for (double[] sigmas : List.of(SigmaScheduler.NORMAL.sigmas(SD15, 12), SigmaScheduler.KARRAS.sigmas(SD15, 12))) {
            assertClose(referenceHeun(sigmas), run(new HeunSampler(), sigmas), 1e-4, "heun");
            assertClose(referenceHeunPp2(sigmas), run(new HeunPp2Sampler(), sigmas), 1e-4, "heunpp2");
            double[] dpm2 = start();
            for (int i = 0; i + 1 < sigmas.length; i++) {
                dpm2 = referenceDpm2Step(dpm2, sigmas[i], sigmas[i + 1]);
            }
            assertClose(dpm2, run(new Dpm2Sampler(), sigmas), 1e-4, "dpm_2");
            assertClose(referenceLms(sigmas), run(new LmsSampler(), sigmas), 1e-4, "lms");
            assertClose(referenceIpndm(sigmas), run(new IpndmSampler(), sigmas), 1e-4, "ipndm");
            assertClose(referenceDpmpp2sAncestral(sigmas, false), run(new DpmPp2sAncestralSampler(0), sigmas), 1e-4,
                    "dpmpp_2s eta 0");
        }
    }

    @Test
    void lmsCoefficients_gaussLegendreEqualsSimpson_andSumToTheStep() {
        double[] sigmas = SigmaScheduler.KARRAS.sigmas(SD15, 10);
        for (int i = 0; i + 1 < sigmas.length; i++) {
            int order = Math.min(i + 1, 4);
            double sum = 0;
            for (int j = 0; j < order; j++) {
                double c = new LmsSampler().coefficient(order, sigmas, i, j);
                assertEquals(simpsonLagrange(sigmas, i, order, j), c, 1e-12 * Math.max(1, Math.abs(c)), "step " + i + " j " + j);
                sum += c;
            }
            assertEquals(sigmas[i + 1] - sigmas[i], sum, 1e-12); // the basis polynomials sum to 1
        }
    }

    @Test
    void dpm2Ancestral_withoutNoise_isDpm2ToSigmaDown() {
        double s0 = 8.0, s1 = 3.0;
        double down = downUp(s0, s1)[0];
        float[] ancestral = run(new Dpm2AncestralSampler(), new double[] {s0, s1});
        float[] plain = run(new Dpm2Sampler(), new double[] {s0, down});
        for (int k = 0; k < plain.length; k++) {
            assertEquals(plain[k], ancestral[k], 1e-5 * Math.max(1, Math.abs(plain[k])));
        }
        double[] sigmas = SigmaScheduler.KARRAS.sigmas(SD15, 8);
        float[] etaZero = run(new Dpm2AncestralSampler(0), sigmas);
        float[] dpm2 = run(new Dpm2Sampler(), sigmas);
        for (int k = 0; k < dpm2.length; k++) {
            assertEquals(dpm2[k], etaZero[k], 1e-6 * Math.max(1, Math.abs(dpm2[k])));
        }
    }

    @Test
    void ancestralSamplers_withKnownNoise_matchFloat64References_noiseDrawIsStepIndex() {
        double[] sigmas = SigmaScheduler.KARRAS.sigmas(SD15, 10);
        List<Integer> everyStepButLast = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8);

        PatternNoise noise = new PatternNoise();
        assertClose(referenceDpm2Ancestral(sigmas), run(new Dpm2AncestralSampler(), sigmas, noise), 1e-4, "dpm_2_ancestral");
        assertEquals(everyStepButLast, noise.steps);

        noise = new PatternNoise();
        assertClose(referenceDpmpp2sAncestral(sigmas, true), run(new DpmPp2sAncestralSampler(), sigmas, noise), 1e-4,
                "dpmpp_2s_ancestral");
        assertEquals(everyStepButLast, noise.steps);

        noise = new PatternNoise();
        assertClose(referenceLcm(sigmas), run(new LcmSampler(), sigmas, noise), 1e-4, "lcm");
        assertEquals(everyStepButLast, noise.steps);

        noise = new PatternNoise();
        assertClose(referenceDdpm(sigmas), run(new DdpmSampler(), sigmas, noise), 1e-4, "ddpm");
        assertEquals(everyStepButLast, noise.steps);
    }

    @Test
    void lcm_eachStepIsDenoisedPlusSigmaNextTimesNoise() {
        double s0 = 6.0, s1 = 1.5;
        float[] out = run(new LcmSampler(), new double[] {s0, s1}, new PatternNoise());
        for (int k = 0; k < out.length; k++) {
            double x = (float) data.start[k];
            assertEquals(data.denoise(x, k, s0) + s1 * patternNoise(0, k), out[k], 1e-5);
        }
    }

    @Test
    void newSamplers_lastStepToZero_returnDenoised() {
        for (Sampler sampler : List.of(new HeunSampler(), new HeunPp2Sampler(), new Dpm2Sampler(), new Dpm2AncestralSampler(), new LmsSampler(),
                new DpmPp2sAncestralSampler(), new DdpmSampler(), new LcmSampler(), new IpndmSampler())) {
            float[] out = run(sampler, new double[] {2.0, 0.0}, new PatternNoise());
            for (int k = 0; k < out.length; k++) {
                double x = (float) data.start[k];
                assertEquals(data.denoise(x, k, 2.0), out[k], 1e-5, sampler.getClass().getSimpleName());
            }
        }
    }

    @Test
    void newSamplers_sameSeedSameResult_noArraysLeftBehind() {
        NDArray start = data.startArray(manager);
        Denoiser denoiser = data.denoiser(manager);
        int before = manager.getManagedArrays().size();
        for (Sampler sampler : List.of(new HeunSampler(), new HeunPp2Sampler(), new Dpm2Sampler(), new Dpm2AncestralSampler(), new LmsSampler(),
                new DpmPp2sAncestralSampler(), new DdpmSampler(), new LcmSampler(), new IpndmSampler())) {
            float[][] results = new float[2][];
            for (int repeat = 0; repeat < 2; repeat++) {
                try (NDManager run = manager.newSubManager()) {
                    SamplingRun samplingRun = new SamplingRun(run, StepListener.none(), () -> false, TorchNoise.ancestral(Seed.of(3)));
                    NDArray out = sampler.sample(denoiser, start, SigmaScheduler.KARRAS.sigmas(SD15, 12), samplingRun);
                    assertEquals(List.of(out), run.getManagedArrays(), sampler.getClass().getSimpleName());
                    results[repeat] = out.toFloatArray();
                }
            }
            assertTrue(Arrays.equals(results[0], results[1]), sampler.getClass().getSimpleName());
        }
        assertEquals(before, manager.getManagedArrays().size());
    }

    @Test
    void newSamplers_byComfyName() {
        for (String name : List.of("heun", "heunpp2", "dpm_2", "dpm_2_ancestral", "lms", "dpmpp_2s_ancestral", "ddpm", "lcm", "ipndm")) {
            assertEquals(name, SamplerName.fromComfyName(name).comfyName());
        }
    }
}
