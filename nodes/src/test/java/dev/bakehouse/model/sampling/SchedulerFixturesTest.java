package dev.bakehouse.model.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every scheduler the KSampler offers, and KSampler's step bookkeeping, against
 * {@code samplers/schedulers.json} (an independent float64 port of ComfyUI; see its README):
 * sigmas at 1e-6 relative with the appended 0 exact, lengths exact, the timestep fed to the UNet
 * for each sigma (either candidate where the README marks a tie), whether the initial noise is
 * scaled as full-strength, denoise &lt; 1 windows, the int(steps / denoise) rule and
 * KSamplerAdvanced's slices. ({@code percent_to_sigma} is not checked: nothing here offers it.)
 */
class SchedulerFixturesTest {
    private static final DiscreteSchedule SD15 = DiscreteSchedule.sd15();
    private static JsonNode fixture;

    @BeforeAll
    static void read() throws IOException {
        fixture = new ObjectMapper().readTree(Fixtures.file("samplers/schedulers.json").toFile());
    }

    @Test
    void everySchedulerOfComfyUi_isOffered() {
        Set<String> offered = new TreeSet<>();
        for (SigmaScheduler s : SigmaScheduler.values()) {
            offered.add(s.comfyName());
        }
        Set<String> reference = new TreeSet<>();
        fixture.path("scheduler_names").forEach(n -> reference.add(n.asText()));
        assertEquals(reference, offered);
    }

    @Test
    void everySchedulerAtEveryStepCount_matchesSigmasTimestepsAndMaxDenoise() {
        int checked = 0;
        for (JsonNode c : fixture.path("schedules")) {
            String id = c.path("scheduler").asText() + "/" + c.path("steps").asInt();
            double[] actual = SigmaScheduler.fromComfyName(c.path("scheduler").asText()).sigmas(SD15, c.path("steps").asInt());
            if (c.path("sigmas").isNull()) {
                // kl_optimal at 1 step: ComfyUI divides 0 by 0 and samples from NaN (a NaN image);
                // here the step deliberately starts at sigma_max (Sigmas.klOptimal). The finite
                // positions still match.
                assertEquals(c.path("n_steps").asInt() + 1, actual.length, id + " length");
                c.path("nan_positions").forEach(p -> assertEquals(SD15.sigmaMax(), actual[p.asInt()], 1e-12,
                        id + ": where ComfyUI has NaN"));
                c.path("finite_values").fields().forEachRemaining(
                        e -> assertEquals(e.getValue().asDouble(), actual[Integer.parseInt(e.getKey())], id));
                checked++;
                continue;
            }
            assertSigmas(id, c, actual);
            checked++;
        }
        assertEquals(fixture.path("schedules").size(), checked);
    }

    @Test
    void denoiseBelowOne_runsTheLastStepsOfTheLongerSchedule_forEulerAndDpm2() {
        for (JsonNode c : fixture.path("ksampler_denoise")) {
            String id = c.path("scheduler").asText() + "/" + c.path("sampler").asText() + "/" + c.path("steps").asInt()
                    + "/denoise " + c.path("denoise").asDouble();
            assertSigmas(id, c, KSampler.sigmas(SD15, SigmaScheduler.fromComfyName(c.path("scheduler").asText()),
                    SamplerName.fromComfyName(c.path("sampler").asText()), c.path("steps").asInt(), c.path("denoise").asDouble()));
        }
    }

    /** KSampler truncates the float quotient; a quotient just below an integer must not round up. */
    @Test
    void denoiseRule_totalStepsIsTheTruncatedQuotient() {
        for (JsonNode c : fixture.path("denoise_rule")) {
            int steps = c.path("steps").asInt();
            double denoise = c.path("denoise").asDouble();
            int total = c.path("total_steps").asInt();
            double[] full = SigmaScheduler.NORMAL.sigmas(SD15, total);
            double[] expected = Arrays.copyOfRange(full, full.length - (steps + 1), full.length);
            assertEquals(Arrays.toString(expected), Arrays.toString(KSampler.sigmas(SD15, SigmaScheduler.NORMAL,
                    SamplerName.EULER, steps, denoise)), steps + " / " + denoise + " -> " + total + " steps");
        }
    }

    @Test
    void ksamplerAdvanced_slicesTheSchedule() {
        for (JsonNode c : fixture.path("advanced")) {
            String id = c.path("scheduler").asText() + "/" + c.path("sampler").asText() + " steps " + c.path("start_step")
                    + ".." + c.path("last_step") + " force " + c.path("force_full_denoise");
            double[] all = KSampler.sigmas(SD15, SigmaScheduler.fromComfyName(c.path("scheduler").asText()),
                    SamplerName.fromComfyName(c.path("sampler").asText()), c.path("steps").asInt(), 1.0);
            double[] window = new KSampler.StepWindow(c.path("start_step").asInt(), c.path("last_step").asInt(), true,
                    c.path("force_full_denoise").asBoolean()).apply(all);
            if (c.path("sigmas").isNull()) {
                assertTrue(window.length < 2, id + ": nothing to run, the latent is returned unchanged");
            } else {
                assertSigmas(id, c, window);
            }
        }
    }

    /** Sigmas (1e-6 relative, 0 exact, same length), timesteps of the nonzero float32 sigmas, max_denoise. */
    private static void assertSigmas(String id, JsonNode c, double[] actual) {
        double[] expected = SamplerFixturesTest.doubles(c.path("sigmas"));
        assertEquals(expected.length, actual.length, id + " length");
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == 0) {
                assertEquals(0.0, actual[i], id + " sigma[" + i + "] must be exactly 0");
            } else {
                assertEquals(expected[i], actual[i], 1e-6 * expected[i], id + " sigma[" + i + "]");
            }
        }
        if (c.has("timesteps")) {
            List<Set<Integer>> allowed = new ArrayList<>();
            c.path("timesteps").forEach(t -> allowed.add(Set.of(t.asInt())));
            c.path("timestep_ties").forEach(tie -> {
                Set<Integer> either = new TreeSet<>();
                tie.path("candidates").forEach(n -> either.add(n.asInt()));
                allowed.set(tie.path("position").asInt(), either);
            });
            double[] f32 = SamplerFixturesTest.doubles(c.path("sigmas_f32"));
            for (int i = 0; i < allowed.size(); i++) {
                int t = SD15.timestep(f32[i]);
                assertTrue(allowed.get(i).contains(t), id + " timestep of sigma[" + i + "] = " + t + ", expected " + allowed.get(i));
            }
        }
        if (c.has("max_denoise") && actual.length > 0) {
            assertEquals(c.path("max_denoise").asBoolean(), startsAtFullStrength(actual[0]), id + " max_denoise");
        }
    }

    /** Whether {@link KSampler#noiseScaling} treats sigma as full strength: noise * sqrt(1 + sigma^2) rather than * sigma. */
    private static boolean startsAtFullStrength(double sigma) {
        try (NDManager m = NDManager.newBaseManager()) {
            float scaled = KSampler.noiseScaling(SD15, sigma, m.ones(new Shape(1)), m.zeros(new Shape(1))).getFloat(0);
            return Math.abs(scaled - Math.sqrt(1 + sigma * sigma)) < Math.abs(scaled - sigma);
        }
    }
}
