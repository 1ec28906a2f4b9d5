package dev.bakehouse.lora.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.nn.CheckpointTape;
import dev.bakehouse.tensor.SafetensorsFile;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trainable network against {@code sd15-tiny/train-cases.safetensors}: predictions with the
 * fixture LoRA as network_weights, and the autograd gradient as directional derivatives of each
 * case's loss (kohya's train_network step, see train-cases.md).
 */
class TrainCasesTest {
    private static TinyTrainFixture fixture;
    private static SafetensorsFile cases;
    private static StableDiffusion model;
    private static LoraNetwork lora;
    /** Whether {@link #backward} runs the UNet with gradient checkpointing. */
    private static boolean checkpointing;

    /** The fixture LoRA's options: rank 4, alpha 2, conv_dim 4, conv_alpha 2. */
    static NetworkOptions fixtureOptions() {
        return NetworkOptions.defaults().withDim(4, 2f).withConv(4, 2f);
    }

    @BeforeAll
    static void load() throws Exception {
        fixture = TinyTrainFixture.open();
        cases = fixture.cases();
        model = fixture.model();
        lora = fixture.lora();
    }

    @AfterAll
    static void close() throws Exception {
        TinyTrainFixture.close(fixture);
    }

    @Test
    void unetLora_predictionsMatchEpsPredUnetLoraAndOffset() throws Exception {
        try (TrainableLoraNetwork net = network(fixtureOptions().withParts(true, false));
                NDManager step = model.manager().newSubManager()) {
            assertEquals(278, net.layers().size());
            NDArray context = array(step, "context_plain");
            assertClose("eps_pred_unet_lora", unet(step, "noisy_latents", context), 1e-4);
            assertClose("eps_pred_unet_lora_offset", unet(step, "noisy_latents_offset", context), 1e-4);
        }
    }

    @Test
    void textEncoderAndUnetLora_predictionsMatchContextAndEps() throws Exception {
        try (TrainableLoraNetwork net = network(fixtureOptions()); NDManager step = model.manager().newSubManager()) {
            assertEquals(290, net.layers().size());
            NDArray context = model.textEncoder().forward(array(step, "text_ids")).lastHiddenState();
            assertClose("context_te_lora", context.toFloatArray(), 1e-4);
            assertClose("eps_pred_te_unet_lora", unet(step, "noisy_latents", context), 1e-4);
        }
    }

    @Test
    void multiplierZero_givesThePlainModel() throws Exception {
        try (TrainableLoraNetwork net = network(fixtureOptions()); NDManager step = model.manager().newSubManager()) {
            net.setMultiplier(0f);
            assertClose("eps_pred_no_lora", unet(step, "noisy_latents", array(step, "context_plain")), 1e-4);
        }
    }

    @Test
    void directionalDerivatives_unetOnlyCases_matchFixture() throws Exception {
        try (TrainableLoraNetwork net = network(fixtureOptions().withParts(true, false))) {
            checkCase(net, "l2", "noisy_latents", "target_eps", Weight.NONE, "dd.l2", k -> true);
            checkCase(net, "min_snr", "noisy_latents", "target_eps", Weight.MIN_SNR_EPS, "dd.min_snr", k -> true);
            checkCase(net, "noise_offset", "noisy_latents_offset", "noise_with_offset", Weight.NONE, "dd.noise_offset", k -> true);
            checkCase(net, "v_pred", "noisy_latents", "target_v", Weight.NONE, "dd.v_pred", k -> true);
            checkCase(net, "v_pred_min_snr", "noisy_latents", "target_v", Weight.MIN_SNR_V, "dd.v_pred_min_snr", k -> true);
        }
    }

    @Test
    void directionalDerivatives_textEncoderCase_matchFixtureInTotalAndPerPart() throws Exception {
        try (TrainableLoraNetwork net = network(fixtureOptions())) {
            checkCase(net, "te_lora", "noisy_latents", "target_eps", Weight.NONE, "dd.te_lora", k -> true);
            checkCase(net, "te_lora", "noisy_latents", "target_eps", Weight.NONE, "dd.te_lora_unet_part", k -> k.startsWith("lora_unet_"));
            checkCase(net, "te_lora", "noisy_latents", "target_eps", Weight.NONE, "dd.te_lora_te_part", k -> k.startsWith("lora_te_"));
        }
    }

    @Test
    void directionalDerivatives_withGradientCheckpointing_matchFixture() throws Exception {
        checkpointing = true;
        try (TrainableLoraNetwork unetOnly = network(fixtureOptions().withParts(true, false))) {
            checkCase(unetOnly, "l2", "noisy_latents", "target_eps", Weight.NONE, "dd.l2", k -> true);
            checkCase(unetOnly, "v_pred_min_snr", "noisy_latents", "target_v", Weight.MIN_SNR_V, "dd.v_pred_min_snr", k -> true);
        } finally {
            checkpointing = false;
        }
        checkpointing = true;
        try (TrainableLoraNetwork full = network(fixtureOptions())) {
            checkCase(full, "te_lora", "noisy_latents", "target_eps", Weight.NONE, "dd.te_lora_unet_part", k -> k.startsWith("lora_unet_"));
            checkCase(full, "te_lora", "noisy_latents", "target_eps", Weight.NONE, "dd.te_lora_te_part", k -> k.startsWith("lora_te_"));
        } finally {
            checkpointing = false;
        }
    }

    @Test
    void directionalDerivativesPerSample_matchFixture() throws Exception {
        try (TrainableLoraNetwork unetOnly = network(fixtureOptions().withParts(true, false))) {
            checkPerSample(unetOnly, "l2", "noisy_latents", "target_eps");
            checkPerSample(unetOnly, "noise_offset", "noisy_latents_offset", "noise_with_offset");
            checkPerSample(unetOnly, "v_pred", "noisy_latents", "target_v");
        }
        try (TrainableLoraNetwork full = network(fixtureOptions())) {
            checkPerSample(full, "te_lora", "noisy_latents", "target_eps");
        }
    }

    @Test
    void probeGradients_matchSingleElementPartials() throws Exception {
        try (TrainableLoraNetwork net = network(fixtureOptions())) {
            float[] expected = cases.readFloats("probe_grad");
            long[] index = cases.readLongs("probe_flat_index");
            String[] keys = probeKeys();
            try (NDManager step = model.manager().newSubManager()) {
                backward(net, step, "noisy_latents", "target_eps", Weight.NONE, -1);
                double worst = 0;
                for (int i = 0; i < expected.length; i++) {
                    float got = gradient(net, step, keys[i]).toFloatArray()[(int) index[i]];
                    double err = Math.abs(got - expected[i]);
                    worst = Math.max(worst, err / (1e-3 * Math.abs(expected[i]) + 1e-7));
                    assertTrue(err <= 1e-3 * Math.abs(expected[i]) + 1e-7, keys[i] + ": " + got + " vs " + expected[i]);
                }
                System.out.printf("CONFORMANCE probe_grad worst err/tolerance=%.3f%n", worst);
            } finally {
                net.zeroGradients();
            }
        }
    }

    /** The probe keys of train-cases.md, in probe order. */
    private static String[] probeKeys() {
        return new String[] {
            "lora_te_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight",
            "lora_te_text_model_encoder_layers_0_mlp_fc2.lora_up.weight",
            "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k.lora_down.weight",
            "lora_unet_mid_block_attentions_0_transformer_blocks_0_attn1_to_v.lora_up.weight",
            "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_ff_net_0_proj.lora_up.weight",
            "lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight",
            "lora_unet_down_blocks_0_resnets_0_conv1.lora_down.weight",
            "lora_unet_down_blocks_0_downsamplers_0_conv.lora_down.weight",
            "lora_unet_down_blocks_1_resnets_1_time_emb_proj.lora_up.weight",
            "lora_unet_down_blocks_1_resnets_0_conv_shortcut.lora_up.weight",
            "lora_unet_up_blocks_0_upsamplers_0_conv.lora_up.weight",
            "lora_unet_up_blocks_3_resnets_2_conv2.lora_down.weight",
        };
    }

    /** Per-sample loss weight of kohya's post_process_loss (min_snr_gamma 5). */
    enum Weight { NONE, MIN_SNR_EPS, MIN_SNR_V }

    private void checkCase(TrainableLoraNetwork net, String caseName, String input, String target, Weight weight,
                           String expectedName, Predicate<String> keys) throws Exception {
        try (NDManager step = model.manager().newSubManager()) {
            float loss = backward(net, step, input, target, weight, -1);
            assertClose("loss." + caseName, new float[] {loss}, 1e-4);
            assertDirections(net, step, expectedName, cases.readFloats(expectedName), keys);
        } finally {
            net.zeroGradients();
        }
    }

    private void checkPerSample(TrainableLoraNetwork net, String caseName, String input, String target) throws Exception {
        float[] expected = cases.readFloats("dd_per_sample." + caseName); // [3, B]
        for (int b = 0; b < 2; b++) {
            try (NDManager step = model.manager().newSubManager()) {
                backward(net, step, input, target, Weight.NONE, b);
                float[] column = {expected[b], expected[2 + b], expected[4 + b]};
                assertDirections(net, step, "dd_per_sample." + caseName + "[:, " + b + "]", column, k -> true);
            } finally {
                net.zeroGradients();
            }
        }
    }

    /**
     * Runs kohya's loss under autograd and backpropagates it: per-sample mean of (pred - target)^2
     * times the case's weight, mean over the batch (or only sample {@code onlySample}, unweighted).
     */
    private float backward(TrainableLoraNetwork net, NDManager step, String input, String target, Weight weight, int onlySample)
            throws Exception {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray context = net.layers().stream().anyMatch(LoraLayer::isTextEncoder)
                    ? model.textEncoder().forward(array(step, "text_ids")).lastHiddenState()
                    : array(step, "context_plain");
            CheckpointTape tape = checkpointing ? new CheckpointTape(step, List.of(net)) : null;
            NDArray latents = array(step, input);
            NDArray timesteps = array(step, "timesteps").toType(DataType.FLOAT32, false);
            NDArray pred = tape == null ? model.unet().forward(latents, timesteps, context)
                    : model.unet().forward(latents, timesteps, context, tape);
            NDArray perSample = pred.sub(array(step, target)).square().mean(new int[] {3}).mean(new int[] {2}).mean(new int[] {1});
            NDArray loss;
            if (onlySample >= 0) {
                loss = perSample.get(onlySample);
            } else {
                loss = perSample.mul(weights(step, weight)).mean();
            }
            gc.backward(loss);
            if (tape != null) {
                tape.backward();
            }
            return loss.getFloat();
        }
    }

    private NDArray weights(NDManager step, Weight weight) throws Exception {
        float[] snr = cases.readFloats("snr_t");
        float[] w = new float[snr.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = switch (weight) {
                case NONE -> 1f;
                case MIN_SNR_EPS -> Math.min(snr[i], 5f) / snr[i];
                case MIN_SNR_V -> Math.min(snr[i], 5f) / (snr[i] + 1f);
            };
        }
        try (NDArray wrapped = step.create(w)) {
            return wrapped.duplicate();
        }
    }

    /** dd_k = sum over the selected LoRA keys of sum(grad * dirk.key), against the expected [3]. */
    private void assertDirections(TrainableLoraNetwork net, NDManager step, String name, float[] expected,
                                  Predicate<String> keys) throws Exception {
        double[] dd = new double[3];
        for (LoraLayer l : net.layers()) {
            for (String suffix : new String[] {".lora_down.weight", ".lora_up.weight"}) {
                String key = l.name() + suffix;
                if (!keys.test(key)) {
                    continue;
                }
                float[] g = gradient(net, step, key).toFloatArray();
                for (int k = 0; k < 3; k++) {
                    float[] dir = cases.readFloats("dir" + k + "." + key);
                    double sum = 0;
                    for (int i = 0; i < g.length; i++) {
                        sum += (double) g[i] * dir[i];
                    }
                    dd[k] += sum;
                }
            }
        }
        double maxRef = 0;
        double maxErr = 0;
        for (int k = 0; k < 3; k++) {
            maxRef = Math.max(maxRef, Math.abs(expected[k]));
            maxErr = Math.max(maxErr, Math.abs(dd[k] - expected[k]));
        }
        System.out.printf("CONFORMANCE %s max_abs_err=%.3e max_ref=%.3e rel=%.2e%n", name, maxErr, maxRef, maxErr / maxRef);
        double err = maxErr;
        double ref = maxRef;
        assertTrue(err <= 1e-3 * ref, () -> name + ": " + java.util.Arrays.toString(dd) + " vs "
                + java.util.Arrays.toString(expected) + " (max error " + err + ", tolerance " + 1e-3 * ref + ")");
    }

    private static NDArray gradient(TrainableLoraNetwork net, NDManager step, String key) {
        for (LoraLayer l : net.layers()) {
            if (key.equals(l.name() + ".lora_down.weight") || key.equals(l.name() + ".lora_up.weight")) {
                NDArray g = (key.endsWith("lora_down.weight") ? l.down() : l.up()).getGradient();
                g.attach(step);
                return g;
            }
        }
        throw new AssertionError("no LoRA parameter " + key);
    }

    private static TrainableLoraNetwork network(NetworkOptions options) {
        return TrainableLoraNetwork.create(model, options, RandomGenerator.of("L64X128MixRandom"), lora);
    }

    private static float[] unet(NDManager step, String input, NDArray context) {
        return model.unet().forward(array(step, input), array(step, "timesteps").toType(DataType.FLOAT32, false), context)
                .toFloatArray();
    }

    private static NDArray array(NDManager m, String name) {
        return array(cases, m, name);
    }

    /** A tensor (floats or int64) of {@code file} in {@code m}; also used by the other network tests. */
    static NDArray array(SafetensorsFile file, NDManager m, String name) {
        try {
            var info = file.info(name);
            Shape shape = new Shape(info.shape());
            // a libtorch-owned copy: autograd reads saved inputs at backward time, after create()'s buffer may be gone
            try (NDArray wrapped = info.dtype().isFloatingPoint() ? m.create(file.readFloats(name), shape)
                    : m.create(file.readLongs(name), shape)) {
                return wrapped.duplicate();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertClose(String name, float[] got, double rel) throws Exception {
        float[] expected = cases.readFloats(name);
        assertEquals(expected.length, got.length, name);
        double maxErr = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxErr = Math.max(maxErr, Math.abs((double) got[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        System.out.printf("CONFORMANCE %s max_abs_err=%.3e max_ref=%.3e rel=%.2e%n", name, maxErr, maxRef, maxErr / maxRef);
        double err = maxErr;
        assertTrue(err <= rel * maxRef, () -> name + ": max abs error " + err);
    }
}
