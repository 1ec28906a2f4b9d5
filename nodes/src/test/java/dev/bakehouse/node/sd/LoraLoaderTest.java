package dev.bakehouse.node.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.bakehouse.lora.LoraMismatchException;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.nn.Param;
import dev.bakehouse.node.ExecutionInterruptedException;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.SharedResources;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraLoaderTest {
    @TempDir
    static Path root;

    private static ModelNodesHarness tiny;
    private static ModelValue model;
    private static ClipValue clip;

    @BeforeAll
    static void load() throws Exception {
        tiny = new ModelNodesHarness(root);
        model = tiny.model();
        clip = tiny.clip();
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    private static NodeResult loraLoader(double strengthModel, double strengthClip) {
        return new LoraLoader(tiny.dirs, tiny.cache).execute(new NodeInputs("LoraLoader #10", Map.of(
                "model", model, "clip", clip, "lora_name", ModelNodesHarness.LORA,
                "strength_model", strengthModel, "strength_clip", strengthClip)), tiny.context());
    }

    private static Latent sample(ModelValue withModel, Conditioning positive, dev.bakehouse.node.NodeContext ctx) {
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("model", withModel);
        inputs.put("seed", 3L);
        inputs.put("steps", 2L);
        inputs.put("cfg", 5.0);
        inputs.put("sampler_name", "euler_ancestral");
        inputs.put("scheduler", "karras");
        inputs.put("positive", positive);
        inputs.put("negative", positive);
        inputs.put("latent_image", new Latent(HostTensor.zeros(1, 4, 8, 8)));
        inputs.put("denoise", 1.0);
        return (Latent) new KSamplerNode().execute(new NodeInputs("KSampler #3", inputs), ctx).outputs().get(0);
    }

    /** Every weight's array (by identity) and values. */
    private static Map<String, NDArray> weights() {
        StableDiffusion sd = tiny.cache.checkpoint(model.checkpoint().file());
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (Param p : sd.params().params().values()) {
            arrays.put(p.key(), p.value());
        }
        return arrays;
    }

    private static void assertUnchanged(Map<String, NDArray> before, Map<String, float[]> values) {
        Map<String, NDArray> after = weights();
        for (var e : before.entrySet()) {
            assertSame(e.getValue(), after.get(e.getKey()), e.getKey());
            assertArrayEquals(values.get(e.getKey()), after.get(e.getKey()).toFloatArray(), e.getKey());
        }
    }

    private static Map<String, float[]> valuesOf(Map<String, NDArray> arrays) {
        Map<String, float[]> values = new HashMap<>();
        arrays.forEach((k, v) -> values.put(k, v.toFloatArray()));
        return values;
    }

    @Test
    void execute_returnsNewViews_inputsUnchanged() {
        NodeResult result = loraLoader(0.8, 0.5);
        ModelValue patched = (ModelValue) result.outputs().get(0);
        ClipValue patchedClip = (ClipValue) result.outputs().get(1);
        assertEquals(0, model.checkpoint().loras().size());
        assertEquals(0, clip.checkpoint().loras().size());
        assertEquals(0.8f, patched.checkpoint().loras().get(0).unetStrength());
        assertEquals(0f, patched.checkpoint().loras().get(0).textStrength());
        assertEquals(0.5f, patchedClip.checkpoint().loras().get(0).textStrength());
        assertEquals(0f, patchedClip.checkpoint().loras().get(0).unetStrength());
    }

    @Test
    void execute_bothStrengthsZero_returnsTheInputsThemselves() {
        NodeResult result = loraLoader(0, 0);
        assertSame(model, result.outputs().get(0));
        assertSame(clip, result.outputs().get(1));
    }

    @Test
    void sampleAndEncode_withLora_changeResults_andRestoreTheSharedWeightsExactly() {
        Map<String, NDArray> before = weights();
        Map<String, float[]> values = valuesOf(before);
        Conditioning plainText = tiny.encode(clip, "a red circle");
        Latent plain = sample(model, plainText, tiny.context());

        NodeResult result = loraLoader(1, 1);
        Conditioning loraText = tiny.encode((ClipValue) result.outputs().get(1), "a red circle");
        Latent lora = sample((ModelValue) result.outputs().get(0), plainText, tiny.context());

        assertFalse(plainText.equals(loraText), "the LoRA's text encoder modules changed nothing");
        assertFalse(plain.equals(lora), "the LoRA's UNet modules changed nothing");
        assertUnchanged(before, values);
        assertEquals(plain, sample(model, plainText, tiny.context()));
    }

    @Test
    void withLoraAtStrengthZero_samplesExactlyTheBaseModel() throws Exception {
        Conditioning text = tiny.encode(clip, "a red circle");
        ModelValue zero = model.withLora(ModelNodesHarness.LORA, tiny.cache.lora(FileVersion.of(
                tiny.dirs.resolveModel("loras", ModelNodesHarness.LORA))), 0f);
        assertEquals(sample(model, text, tiny.context()), sample(zero, text, tiny.context()));
    }

    @Test
    void interruptedSamplingWithLora_stillRestoresTheWeights() {
        Map<String, NDArray> before = weights();
        Map<String, float[]> values = valuesOf(before);
        ModelValue patched = (ModelValue) loraLoader(1, 1).outputs().get(0);
        RecordingContext ctx = new RecordingContext(tiny.dirs, 1);
        assertThrows(ExecutionInterruptedException.class,
                () -> sample(patched, tiny.encode(clip, "a"), ctx));
        assertUnchanged(before, values);
    }

    @Test
    void encodeAndSampleWithLora_leaveNoArraysBehindInTheModelsManager() {
        StableDiffusion sd = tiny.cache.checkpoint(model.checkpoint().file());
        NodeResult patched = loraLoader(1, 1);
        Runnable prompt = () -> sample((ModelValue) patched.outputs().get(0),
                tiny.encode((ClipValue) patched.outputs().get(1), "a red circle"), new RecordingContext(tiny.dirs));
        prompt.run(); // fills the caches derived from weights (fused q/k/v, norm scales)
        int arrays = sd.manager().getManagedArrays().size();
        prompt.run();
        prompt.run();
        assertEquals(arrays, sd.manager().getManagedArrays().size());
    }

    @Test
    void execute_loraForAnotherModel_failsInTheLoaderListingEveryUnmatchedKey() throws Exception {
        String q = "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q";
        String noLayer = "lora_unet_down_blocks_9_attentions_0_proj_in";
        String wrongShape = "lora_unet_mid_block_attentions_0_transformer_blocks_0_attn1_to_q";
        SafetensorsWriter file = new SafetensorsWriter();
        try (SafetensorsFile fixture = SafetensorsFile.open(Fixtures.file("sd15-tiny/lora.safetensors"))) {
            for (String suffix : new String[] {"lora_up.weight", "lora_down.weight", "alpha"}) {
                file.copyFrom(fixture, q + "." + suffix, q + "." + suffix);
                file.copyFrom(fixture, q + "." + suffix, noLayer + "." + suffix);
            }
            long rank = fixture.info(q + ".lora_down.weight").shape()[0];
            file.copyFrom(fixture, q + ".lora_up.weight", wrongShape + ".lora_up.weight");
            file.addFloats(wrongShape + ".lora_down.weight", DType.F32, new long[] {rank, 48}, new float[(int) rank * 48]);
            file.addFloats("lora_unet_stray.weird_suffix", DType.F32, new long[] {1}, new float[] {1});
            file.write(tiny.dirs.root().resolve("models/loras/other-model.safetensors"));
        }

        LoraMismatchException e = assertThrows(LoraMismatchException.class, () -> new LoraLoader(tiny.dirs, tiny.cache)
                .execute(new NodeInputs("LoraLoader #10", Map.of("model", model, "clip", clip,
                        "lora_name", "other-model.safetensors", "strength_model", 1.0, "strength_clip", 1.0)), tiny.context()));
        assertTrue(e.getMessage().contains("other-model.safetensors"), e.getMessage());
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains(noLayer + ": no such layer in the model"), e.getMessage());
        assertTrue(e.getMessage().contains(wrongShape + ": does not fit model.diffusion_model.middle_block.1"), e.getMessage());
        assertTrue(e.getMessage().contains("lora_unet_stray.weird_suffix: tensor belongs to no LoRA module"), e.getMessage());
    }

    @Test
    void execute_unknownLora_errorNamesTheFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LoraLoader(tiny.dirs, tiny.cache)
                .execute(new NodeInputs("LoraLoader #10", Map.of("model", model, "clip", clip,
                        "lora_name", "nope.safetensors", "strength_model", 1.0, "strength_clip", 1.0)), tiny.context()));
        assertTrue(e.getMessage().contains("nope.safetensors"), e.getMessage());
    }
}
