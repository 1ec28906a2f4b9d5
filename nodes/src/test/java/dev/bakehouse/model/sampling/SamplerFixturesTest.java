package dev.bakehouse.model.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bakehouse.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every sampler the KSampler offers against {@code samplers/cases.json}: full trajectories of an
 * independent float64 port of ComfyUI's k-diffusion samplers on an analytic Gaussian denoiser,
 * with the recorded noise injected (see the fixture's README). Per case: the KSampler schedule,
 * the initial x from {@code noise0}, the input x of every step, each step's denoised, the final
 * x, the number and sigmas of model calls and the order of noise draws. Tolerances are the
 * README's: states 1e-5 of the state's max norm, sigmas and x_init 1e-6 relative.
 */
class SamplerFixturesTest {
    private static final DiscreteSchedule SD15 = DiscreteSchedule.sd15();
    private static final Shape SHAPE = new Shape(1, 4, 4, 4);
    /** Cases whose samplers are not offered (their Brownian-tree noise is not reproduced; README "Nodes"). */
    private static final Set<String> NOT_OFFERED = Set.of("dpmpp_sde", "dpmpp_2m_sde", "dpmpp_2m_sde_heun", "dpmpp_3m_sde");

    private static JsonNode fixture() throws IOException {
        return new ObjectMapper().readTree(Fixtures.file("samplers/cases.json").toFile());
    }

    @Test
    void everyOfferedSampler_hasFixtureCases_andOnlyTheSdeSamplersAreLeftOut() throws IOException {
        Set<String> inFixture = new TreeSet<>();
        fixture().path("cases").forEach(c -> inFixture.add(c.path("sampler").asText()));
        Set<String> offered = new TreeSet<>();
        for (SamplerName s : SamplerName.values()) {
            offered.add(s.comfyName());
        }
        Set<String> missing = new TreeSet<>(offered);
        missing.removeAll(inFixture);
        assertEquals(Set.of(), missing, "offered samplers without a fixture case");
        Set<String> unchecked = new TreeSet<>(inFixture);
        unchecked.removeAll(offered);
        assertEquals(new TreeSet<>(NOT_OFFERED), unchecked, "fixture samplers this test does not run");
    }

    @TestFactory
    Stream<DynamicTest> everyCase_ofAnOfferedSampler_matchesTheReferenceTrajectory() throws IOException {
        JsonNode root = fixture();
        JsonNode denoiser = root.path("denoiser");
        double[] noise0 = doubles(root.path("noise0"));
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.path("cases")) {
            if (!NOT_OFFERED.contains(c.path("sampler").asText())) {
                tests.add(DynamicTest.dynamicTest(c.path("id").asText(), () -> check(c, denoiser, noise0)));
            }
        }
        return tests.stream();
    }

    private static void check(JsonNode c, JsonNode denoiser, double[] noise0) {
        String id = c.path("id").asText();
        SamplerName sampler = SamplerName.fromComfyName(c.path("sampler").asText());
        double[] sigmas = doubles(c.path("sigmas"));
        assertClose(id + " sigmas", sigmas, KSampler.sigmas(SD15, SigmaScheduler.fromComfyName(c.path("scheduler").asText()),
                sampler, c.path("steps").asInt(), c.path("denoise").asDouble()), 1e-6, false);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray latent = c.has("latent_model") ? array(m, doubles(c.path("latent_model"))) : m.zeros(SHAPE);
            NDArray xInit = KSampler.noiseScaling(SD15, sigmas[0], array(m, noise0), latent);
            double[] expectedInit = doubles(c.path("x_init"));
            assertClose(id + " x_init (" + c.path("x_init_rule").asText() + ")", expectedInit, toDoubles(xInit), 1e-6, true);

            Recorder recorder = new Recorder(m, c, denoiser);
            List<Integer> noiseSteps = new ArrayList<>();
            List<double[]> denoised = new ArrayList<>();
            JsonNode noise = c.path("noise");
            NoiseSource recorded = (manager, shape, step) -> {
                int k = noiseSteps.size();
                noiseSteps.add(step);
                assertTrue(k < noise.size(), id + ": more noise draws than the reference's " + noise.size());
                return manager.create(floats(doubles(noise.get(k))), shape);
            };
            SamplingRun run = new SamplingRun(m, (step, total, d) -> denoised.add(toDoubles(d)), () -> false, recorded);
            NDArray fin = sampler.create().sample(recorder, array(m, expectedInit), sigmas, run);

            assertEquals(ints(c.path("noise_call_steps")), noiseSteps, id + ": steps that drew noise, in order");
            assertEquals(c.path("nfe").asInt(), recorder.sigmas.size(), id + ": model calls");
            assertClose(id + " model_call_sigmas", doubles(c.path("model_call_sigmas")),
                    recorder.sigmas.stream().mapToDouble(Double::doubleValue).toArray(), 1e-6, false);
            JsonNode x = c.path("x");
            List<Integer> callSteps = ints(c.path("model_call_steps"));
            int step = -1;
            for (int k = 0; k < callSteps.size(); k++) {
                if (callSteps.get(k) != step) { // the first model call of a step sees that step's x
                    step = callSteps.get(k);
                    assertClose(id + " x[" + step + "]", doubles(x.get(step)), recorder.inputs.get(k), 1e-5, true);
                }
            }
            JsonNode expectedDenoised = c.path("denoised");
            assertEquals(expectedDenoised.size(), denoised.size(), id + ": reported steps");
            for (int i = 0; i < denoised.size(); i++) {
                assertClose(id + " denoised[" + i + "]", doubles(expectedDenoised.get(i)), denoised.get(i), 1e-5, true);
            }
            double finalError = assertClose(id + " final", doubles(c.path("final")), toDoubles(fin), 1e-5, true);
            System.out.printf("SAMPLER %s final: worst error is %.3f of the allowed 1e-5 max|ref|%n", id, finalError);
            if (c.has("uncond_evaluated")) {
                assertEquals(c.path("uncond_evaluated").asBoolean() ? 2 : 1, recorder.batchPerCall,
                        id + ": UNet batch per call (cond, plus uncond unless cfg is 1)");
            }
        }
    }

    /**
     * The README's analytic model, D(x, sigma) = mu + c (x - mu), c = s^2/(s^2 + sigma^2), put
     * where the UNet goes. Plain cases call it as the {@link Denoiser}; CFG cases run the
     * project's {@link GuidedDenoiser} over an {@link EpsPredictor} that answers for the cond
     * (context 1) and uncond (context 0) models. A real UNet gets only the integer timestep; the
     * analytic model needs the exact sigma, which this recorder hands it beside the call.
     */
    private static final class Recorder implements Denoiser {
        final List<Double> sigmas = new ArrayList<>();
        final List<double[]> inputs = new ArrayList<>();
        int batchPerCall;
        private final NDArray mu;
        private final NDArray muUncond;
        private final double s2;
        private final Denoiser inner;
        private double sigma;

        Recorder(NDManager m, JsonNode c, JsonNode denoiser) {
            double s = denoiser.path("s").asDouble();
            this.s2 = s * s;
            boolean cfg = c.has("cfg");
            this.mu = array(m, doubles(denoiser.path(cfg ? "cfg_mu_cond" : "mu")));
            this.muUncond = cfg ? array(m, doubles(denoiser.path("cfg_mu_uncond"))) : null;
            this.inner = cfg ? new GuidedDenoiser(this::eps, SD15, m.ones(new Shape(1, 1, 1)), m.zeros(new Shape(1, 1, 1)),
                    c.path("cfg").asDouble()) : (x, sig) -> analytic(x, sig, this.mu);
        }

        @Override
        public NDArray denoise(NDArray x, double sigma) {
            sigmas.add(sigma);
            inputs.add(toDoubles(x));
            this.sigma = sigma;
            return inner.denoise(x, sigma);
        }

        private NDArray analytic(NDArray x, double sig, NDArray mean) {
            return x.sub(mean).mul(s2 / (s2 + sig * sig)).add(mean);
        }

        /** eps = (x - D(x)) / sigma for each batch row, cond or uncond by its context. */
        private NDArray eps(NDArray xIn, NDArray timesteps, NDArray context) {
            batchPerCall = (int) xIn.getShape().get(0);
            NDArray x = xIn.mul(Math.sqrt(sigma * sigma + 1));
            float[] which = context.toFloatArray();
            List<NDArray> rows = new ArrayList<>();
            for (int b = 0; b < which.length; b++) {
                NDArray row = x.get(b).expandDims(0);
                rows.add(row.sub(analytic(row, sigma, which[b] == 1f ? mu : muUncond)).div(sigma));
            }
            return ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(rows.toArray(NDArray[]::new)));
        }
    }

    /**
     * max |actual - expected| <= tol * max |expected| (norm) or <= tol * |expected_i| each (not
     * norm); returns the largest error relative to what was allowed.
     */
    private static double assertClose(String what, double[] expected, double[] actual, double tol, boolean maxNorm) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = Arrays.stream(expected).map(Math::abs).max().orElse(0);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            double allowed = tol * (maxNorm ? scale : Math.abs(expected[i]));
            assertTrue(err <= allowed, what + "[" + i + "]: " + actual[i] + " vs " + expected[i] + " (allowed " + allowed + ")");
            worst = Math.max(worst, allowed == 0 ? 0 : err / allowed);
        }
        return worst;
    }

    private static NDArray array(NDManager m, double[] values) {
        return m.create(floats(values), SHAPE);
    }

    private static float[] floats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static double[] toDoubles(NDArray a) {
        float[] f = a.toFloatArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** A JSON list of numbers (the fixture writes each as the shortest decimal of its double). */
    static double[] doubles(JsonNode list) {
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i).asDouble();
        }
        return out;
    }

    private static List<Integer> ints(JsonNode list) {
        List<Integer> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
