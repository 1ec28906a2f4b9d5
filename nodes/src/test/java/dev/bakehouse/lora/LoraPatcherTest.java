package dev.bakehouse.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.format.LoraTensor;
import dev.bakehouse.lora.lbw.InspireBlockVector;
import dev.bakehouse.lora.lbw.LbwPresets;
import dev.bakehouse.lora.lbw.LoraPromptTag;
import dev.bakehouse.lora.ops.LoraBlockWeights;
import dev.bakehouse.model.ComputeDevice;
import dev.bakehouse.model.ModelConfig;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.TensorSourceWeights;
import dev.bakehouse.model.WeightPatcher;
import dev.bakehouse.model.clip.TextEncoderOutput;
import dev.bakehouse.model.tokenizer.ExtraNetworkTags;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run-time LoRA on the tiny model against {@code sd15-tiny/lora-cases.safetensors}. */
class LoraPatcherTest {
    private static final double TOL = 1e-4;
    private static SafetensorsFile checkpoint;
    private static SafetensorsFile cases;
    private static SafetensorsFile loraCases;
    private static StableDiffusion model;
    private static LoraNetwork lora;

    @BeforeAll
    static void load() throws Exception {
        checkpoint = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"));
        cases = SafetensorsFile.open(Fixtures.file("sd15-tiny/cases.safetensors"));
        loraCases = SafetensorsFile.open(Fixtures.file("sd15-tiny/lora-cases.safetensors"));
        model = StableDiffusion.load(new TensorSourceWeights(checkpoint), ModelConfig.tiny(), ComputeDevice.CPU);
        lora = LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors"));
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(model, checkpoint, cases, loraCases);
    }

    @Test
    void apply_strength07_matchesMergedWeights_andRestoreIsBitExact() throws Exception {
        List<String> merged = loraCases.names().stream().filter(n -> n.startsWith("merged_0.7.")).toList();
        assertEquals(16, merged.size());
        float[] epsBefore = epsAndTextOnCases();
        int arraysBefore = model.manager().getManagedArrays().size();
        try (WeightPatcher patch = LoraPatcher.apply(model, List.of(LoraApplication.of("lora", lora, 0.7f)))) {
            assertEquals(290, patch.patchedKeys().size());
            for (String name : merged) {
                String key = name.substring("merged_0.7.".length());
                assertClose(loraCases, name, model.params().get(key).value().toFloatArray(), 1e-5);
            }
            epsAndTextOnCases(); // rebuilds the fused weights from the patched ones
        }
        for (String key : model.params().params().keySet()) {
            assertArrayEquals(checkpoint.readFloats(key), model.params().get(key).value().toFloatArray(), key);
        }
        assertArrayEquals(epsBefore, epsAndTextOnCases(), "outputs after restore");
        assertEquals(arraysBefore, model.manager().getManagedArrays().size(), "arrays in the model's manager");
    }

    @Test
    void apply_fullStrength_matchesLoraTextAndEps() throws Exception {
        try (WeightPatcher patch = LoraPatcher.apply(model, List.of(LoraApplication.of("lora", lora, 1f)));
                NDManager step = model.manager().newSubManager()) {
            TextEncoderOutput text = model.textEncoder().forward(array(step, cases, "text_ids"));
            assertClose(loraCases, "lora_text_last", text.lastHiddenState().toFloatArray(), TOL);
            assertClose(loraCases, "lora_text_penultimate_ln", model.textEncoder().withClipSkip(text, 2).toFloatArray(), TOL);
            assertClose(loraCases, "lora_eps", unetOnCases(step, array(step, cases, "context")), TOL);
            assertClose(loraCases, "lora_eps_from_text", unetOnCases(step, text.lastHiddenState()), TOL);
        }
    }

    @Test
    void apply_lierLaModulesOnly_matchesLierLaEps() throws Exception {
        LoraNetwork lierLa = subset(lora, n -> n.startsWith("lora_unet_") && n.contains("_attentions_"));
        assertEquals(192, lierLa.modules().size());
        try (WeightPatcher patch = LoraPatcher.apply(model, List.of(LoraApplication.of("lierla", lierLa, 1f)));
                NDManager step = model.manager().newSubManager()) {
            assertClose(loraCases, "lora_lierla_only_eps", unetOnCases(step, array(step, cases, "context")), TOL);
        }
    }

    @Test
    void apply_blockWeights17_matchesLbwEpsAndText() throws Exception {
        LoraBlockWeights lbw = LoraBlockWeights.of(loraCases.readFloats("lbw_ratios17"));
        assertArrayEquals(loraCases.readFloats("lbw_ratios26"), lbw.ratios26());
        try (WeightPatcher patch = LoraPatcher.apply(model, List.of(new LoraApplication("lora", lora, 1f, 1f, lbw)));
                NDManager step = model.manager().newSubManager()) {
            assertClose(loraCases, "lbw_eps", unetOnCases(step, array(step, cases, "context")), TOL);
            assertClose(loraCases, "lbw_text_last",
                    model.textEncoder().forward(array(step, cases, "text_ids")).lastHiddenState().toFloatArray(), TOL);
        }
    }

    @Test
    void apply_fixtureVectorInEveryPromptSyntax_resolvesToOneApplication_matchingLbwEpsAndText(@TempDir Path tmp)
            throws Exception {
        float[] v17 = loraCases.readFloats("lbw_ratios17");
        float[] v26 = loraCases.readFloats("lbw_ratios26");
        String list17 = join(v17);
        Path presetFile = Files.writeString(tmp.resolve("presets.txt"), "# user presets\nFIXTURE:" + list17 + "\n");
        LbwPresets presets = LbwPresets.builtIn().withFiles(List.of(presetFile));
        List<LoraPromptTag.Resolved> forms = new ArrayList<>();
        for (String tag : List.of("<lora:lora:1:lbw=" + list17 + ">", "<lora:lora:1:" + list17 + ">",
                "<lora:lora:1:lbw=" + join(v26) + ">", "<lora:lora:1:lbw=FIXTURE>", "<lora:lora:1:FIXTURE>",
                "<lora:lora:te=1:unet=1:w=FIXTURE>")) {
            ExtraNetworkTags.Tag parsed = ExtraNetworkTags.parse("a prompt " + tag).tags().get(0);
            forms.add(LoraPromptTag.parse(parsed).resolve(presets, new SplittableRandom(0)));
        }
        LoraPromptTag.Resolved first = forms.get(0);
        forms.forEach(f -> assertEquals(first, f));
        assertArrayEquals(v26, first.blockWeights().ratios26());
        LoraApplication app = new LoraApplication(first.name(), lora, first.unet(), first.te(), first.blockWeights());
        try (WeightPatcher patch = LoraPatcher.apply(model, List.of(app));
                NDManager step = model.manager().newSubManager()) {
            assertClose(loraCases, "lbw_eps", unetOnCases(step, array(step, cases, "context")), TOL);
            assertClose(loraCases, "lbw_text_last",
                    model.textEncoder().forward(array(step, cases, "text_ids")).lastHiddenState().toFloatArray(), TOL);
        }
    }

    @Test
    void apply_inspireVectorOverTheLoConsBlocks_matchesLbwEpsAndText() throws Exception {
        // Inspire gives each block the LoRA has an entry: IN01..IN11, the middle block's 3 parts, OUT00..OUT11.
        float[] v26 = loraCases.readFloats("lbw_ratios26");
        List<Float> inspire = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            String id = LoraBlockWeights.BLOCKS26.get(i);
            if (!id.equals("IN00")) {
                for (int part = 0; part < (id.equals("M00") ? 3 : 1); part++) {
                    inspire.add(v26[i]);
                }
            }
        }
        assertEquals(27, inspire.size());
        String vector = inspire.stream().map(String::valueOf).collect(Collectors.joining(","));
        InspireBlockVector.Result r = InspireBlockVector.apply(lora, "FIXTURE:" + vector, LbwPresets.builtIn(), false,
                new SplittableRandom(0), 4f, 1f);
        assertEquals(27, r.populatedVector().split(",").length, r.populatedVector());
        assertTrue(r.populatedVector().startsWith("0.8,1,0.5,0,0,0.25,0,1,0.75,"), r.populatedVector());
        List<LoraApplication> parts = new ArrayList<>();
        r.networksByRatio(lora).forEach((ratio, net) -> parts.add(new LoraApplication("lora", net, ratio, ratio, null)));
        try (WeightPatcher patch = LoraPatcher.apply(model, parts);
                NDManager step = model.manager().newSubManager()) {
            assertClose(loraCases, "lbw_eps", unetOnCases(step, array(step, cases, "context")), TOL);
            assertClose(loraCases, "lbw_text_last",
                    model.textEncoder().forward(array(step, cases, "text_ids")).lastHiddenState().toFloatArray(), TOL);
        }
    }

    private static String join(float[] v) {
        StringBuilder b = new StringBuilder();
        for (float f : v) {
            b.append(b.length() == 0 ? "" : ",").append(f);
        }
        return b.toString();
    }

    @Test
    void apply_fp16LoraFile_matchesF32ReferenceAtF16Precision() throws Exception {
        LoraNetwork fp16 = LoraReader.read(Fixtures.file("sd15-tiny/lora-fp16.safetensors"));
        try (WeightPatcher patch = LoraPatcher.apply(model, List.of(LoraApplication.of("lora-fp16", fp16, 1f)));
                NDManager step = model.manager().newSubManager()) {
            // the references come from the F32 file; F16 factors move eps by ~1e-3 relative
            assertClose(loraCases, "lora_eps", unetOnCases(step, array(step, cases, "context")), 1e-2);
        }
    }

    @Test
    void apply_twoLorasAtHalfStrength_addUpToOneAtFull() throws Exception {
        LoraApplication half = LoraApplication.of("lora", lora, 0.5f);
        try (WeightPatcher patch = LoraPatcher.apply(model, List.of(half, half));
                NDManager step = model.manager().newSubManager()) {
            assertClose(loraCases, "lora_eps", unetOnCases(step, array(step, cases, "context")), TOL);
        }
    }

    @Test
    void apply_separateUnetAndTextStrengths_textZeroLeavesTextUnchanged() throws Exception {
        try (WeightPatcher patch = LoraPatcher.apply(model, List.of(new LoraApplication("lora", lora, 1f, 0f, null)));
                NDManager step = model.manager().newSubManager()) {
            assertEquals(278, patch.patchedKeys().size());
            assertClose(cases, "text_last", model.textEncoder().forward(array(step, cases, "text_ids")).lastHiddenState().toFloatArray(), TOL);
            assertClose(loraCases, "lora_eps", unetOnCases(step, array(step, cases, "context")), TOL);
        }
    }

    @Test
    void apply_unmatchedModules_listsEveryOneAndChangesNothing() throws Exception {
        Map<String, LoraModule> modules = new HashMap<>(lora.modules());
        LoraModule q = modules.get("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q");
        modules.put("lora_unet_down_blocks_9_attentions_0_proj_in", new LoraModule("lora_unet_down_blocks_9_attentions_0_proj_in", q.kind(), q.tensors()));
        Map<String, LoraTensor> wide = new HashMap<>(q.tensors());
        wide.put("lora_down.weight", new LoraTensor(q.tensors().get("lora_down.weight").dtype(), new long[] {4, 48}, new float[4 * 48]));
        String midName = "lora_unet_mid_block_attentions_0_transformer_blocks_0_attn1_to_q";
        modules.put(midName, new LoraModule(midName, q.kind(), wide));
        LoraNetwork bad = new LoraNetwork(modules, lora.metadata(), List.of("lora_unet_stray.weird_suffix"), lora.styles());

        LoraMismatchException e = assertThrows(LoraMismatchException.class,
                () -> LoraPatcher.apply(model, List.of(LoraApplication.of("bad.safetensors", bad, 1f))));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("bad.safetensors"));
        assertTrue(e.getMessage().contains("lora_unet_down_blocks_9_attentions_0_proj_in: no such layer"), e.getMessage());
        assertTrue(e.getMessage().contains(midName + ": does not fit model.diffusion_model.middle_block.1.transformer_blocks.0.attn1.to_q.weight (96, 96)"), e.getMessage());
        assertTrue(e.getMessage().contains("lora_unet_stray.weird_suffix"), e.getMessage());
        String key = "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight";
        assertArrayEquals(checkpoint.readFloats(key), model.params().get(key).value().toFloatArray());
    }

    /** eps then text_last on the fixture inputs, concatenated. */
    private static float[] epsAndTextOnCases() {
        try (NDManager step = model.manager().newSubManager()) {
            float[] eps = unetOnCases(step, array(step, cases, "context"));
            float[] text = model.textEncoder().forward(array(step, cases, "text_ids")).lastHiddenState().toFloatArray();
            float[] both = java.util.Arrays.copyOf(eps, eps.length + text.length);
            System.arraycopy(text, 0, both, eps.length, text.length);
            return both;
        }
    }

    private static float[] unetOnCases(NDManager step, NDArray context) {
        return model.unet().forward(array(step, cases, "latents"), array(step, cases, "timesteps"), context).toFloatArray();
    }

    private static LoraNetwork subset(LoraNetwork net, Predicate<String> keep) {
        Map<String, LoraModule> kept = net.modules().entrySet().stream().filter(e -> keep.test(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return new LoraNetwork(kept, net.metadata(), net.unknownKeys(), net.styles());
    }

    private static NDArray array(NDManager m, SafetensorsFile file, String name) {
        try {
            var info = file.info(name);
            var shape = new ai.djl.ndarray.types.Shape(info.shape());
            return info.dtype().isFloatingPoint() ? m.create(file.readFloats(name), shape) : m.create(file.readLongs(name), shape);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertClose(SafetensorsFile file, String name, float[] got, double rel) throws Exception {
        float[] expected = file.readFloats(name);
        assertEquals(expected.length, got.length, name);
        double maxErr = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxErr = Math.max(maxErr, Math.abs((double) got[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        System.out.printf("CONFORMANCE %s max_abs_err=%.3e max_ref=%.3e%n", name, maxErr, maxRef);
        double err = maxErr;
        assertTrue(err <= rel * maxRef + 1e-5, () -> name + ": max abs error " + err);
    }
}
