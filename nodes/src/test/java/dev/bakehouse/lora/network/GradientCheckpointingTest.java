package dev.bakehouse.lora.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.nn.CheckpointTape;
import dev.bakehouse.tensor.SafetensorsFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kohya's {@code gradient_checkpointing} through {@link CheckpointTape}: the LoRA factors' gradients
 * of a checkpointed backward (segments recomputed, their vector–Jacobian products chained) equal
 * those of the plain backward on the tiny model, with the text encoder training, with dropouts
 * (replayed on recompute) and step after step without leaking arrays.
 */
class GradientCheckpointingTest {
    /** Largest allowed max|checkpointed - plain| / max|plain| of any factor's gradient. */
    private static final double TOLERANCE = 1e-5;

    private static TinyTrainFixture fixture;
    private static SafetensorsFile cases;
    private static StableDiffusion model;

    @BeforeAll
    static void load() throws Exception {
        fixture = TinyTrainFixture.open();
        cases = fixture.cases();
        model = fixture.model();
    }

    @AfterAll
    static void close() throws Exception {
        TinyTrainFixture.close(fixture);
    }

    @Test
    void unetOnly_checkpointedGradientsEqualPlainBackward() {
        assertSameGradients(TrainCasesTest.fixtureOptions().withParts(true, false));
    }

    @Test
    void textEncoderTraining_checkpointedGradientsEqualPlainBackward() {
        assertSameGradients(TrainCasesTest.fixtureOptions());
    }

    @Test
    void dropouts_recomputedSegmentsDrawTheSameMasks() {
        Map<String, float[]> withDropout = assertSameGradients(
                TrainCasesTest.fixtureOptions().withParts(true, false).withDropout(0.2f, 0.25f, 0.1f));
        Map<String, float[]> without = gradients(TrainCasesTest.fixtureOptions().withParts(true, false), false);
        // the masks really acted, so the equality above is about replayed draws, not absent ones
        assertTrue(maxRelativeDifference(withDropout, without) > 1e-2);
    }

    @Test
    void checkpointedSteps_keepTheModelsArrayCountConstant() {
        try (TrainableLoraNetwork net = network(TrainCasesTest.fixtureOptions().withDropout(0.1f, null, null))) {
            step(net, true, 1);
            int arrays = model.manager().getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                step(net, true, 2 + i);
            }
            assertEquals(arrays, model.manager().getManagedArrays().size());
        }
    }

    private static Map<String, float[]> assertSameGradients(NetworkOptions options) {
        Map<String, float[]> plain = gradients(options, false);
        Map<String, float[]> checkpointed = gradients(options, true);
        assertEquals(plain.keySet(), checkpointed.keySet());
        double diff = maxRelativeDifference(checkpointed, plain);
        System.out.printf("CONFORMANCE gradient_checkpointing max_rel_diff=%.3e (tolerance %.0e, %d factors)%n",
                diff, TOLERANCE, plain.size());
        assertTrue(diff <= TOLERANCE, "max relative difference " + diff);
        assertNotEquals(0.0, maxAbs(plain), "the gradients are all zero; nothing was compared");
        return checkpointed;
    }

    /** One step's factor gradients, by kohya key, from a fresh network with the fixture LoRA's values. */
    private static Map<String, float[]> gradients(NetworkOptions options, boolean checkpointing) {
        try (TrainableLoraNetwork net = network(options)) {
            step(net, checkpointing, 7);
            Map<String, float[]> grads = new LinkedHashMap<>();
            try (NDManager m = model.manager().newSubManager()) {
                for (LoraLayer l : net.layers()) {
                    grads.put(l.name() + ".lora_down.weight", attached(l.down().getGradient(), m).toFloatArray());
                    grads.put(l.name() + ".lora_up.weight", attached(l.up().getGradient(), m).toFloatArray());
                }
            }
            return grads;
        }
    }

    /** The train-cases l2 loss backpropagated once, dropouts drawn from {@code seed}. */
    private static void step(TrainableLoraNetwork net, boolean checkpointing, long seed) {
        net.zeroGradients();
        net.setTraining(true, new SplittableRandom(seed));
        try (NDManager step = model.manager().newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray context = net.layers().stream().anyMatch(LoraLayer::isTextEncoder)
                    ? model.textEncoder().forward(TrainCasesTest.array(cases, step, "text_ids")).lastHiddenState()
                    : TrainCasesTest.array(cases, step, "context_plain");
            NDArray latents = TrainCasesTest.array(cases, step, "noisy_latents");
            NDArray timesteps = TrainCasesTest.array(cases, step, "timesteps").toType(DataType.FLOAT32, false);
            CheckpointTape tape = checkpointing ? new CheckpointTape(step, List.of(net)) : null;
            NDArray pred = tape == null ? model.unet().forward(latents, timesteps, context)
                    : model.unet().forward(latents, timesteps, context, tape);
            gc.backward(pred.sub(TrainCasesTest.array(cases, step, "target_eps")).square().mean());
            if (tape != null) {
                tape.backward();
            }
        } finally {
            net.setTraining(false, null);
        }
    }

    /**
     * max|got - reference| over every factor, relative to the largest reference gradient of all
     * (the fixture README's max|a-b| <= tol * max|b|, network-wide): per factor the ratio is
     * meaningless where a gradient is rounding noise, e.g. time_emb_proj's ~1e-9 (the GroupNorm
     * right after the add cancels most of a per-channel offset), whatever the order of summation.
     */
    private static double maxRelativeDifference(Map<String, float[]> got, Map<String, float[]> reference) {
        double err = 0;
        for (var e : reference.entrySet()) {
            float[] ref = e.getValue();
            float[] g = got.get(e.getKey());
            for (int i = 0; i < ref.length; i++) {
                err = Math.max(err, Math.abs((double) g[i] - ref[i]));
            }
        }
        return err / maxAbs(reference);
    }

    private static double maxAbs(Map<String, float[]> grads) {
        double m = 0;
        for (float[] g : grads.values()) {
            for (float v : g) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    private static NDArray attached(NDArray a, NDManager m) {
        a.attach(m);
        return a;
    }

    private static TrainableLoraNetwork network(NetworkOptions options) {
        return TrainableLoraNetwork.create(model, options, RandomGenerator.of("L64X128MixRandom"), fixture.lora());
    }
}
