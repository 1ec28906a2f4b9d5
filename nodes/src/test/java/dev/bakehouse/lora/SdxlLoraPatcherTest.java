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
import dev.bakehouse.lora.ops.LoraBlockWeights;
import dev.bakehouse.model.FixtureTensors;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.TinyFixtureModel;
import dev.bakehouse.model.WeightPatcher;
import dev.bakehouse.model.conditioning.SdxlConditioner;
import dev.bakehouse.model.conditioning.SizeConditioning;
import dev.bakehouse.model.unet.UNetTrace;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.KeyTables;
import dev.bakehouse.testing.SharedResources;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Run-time LoRA and LoRA Block Weight on the tiny SDXL model against
 * {@code sdxl-tiny/lora-cases.safetensors} (README tolerance 1e-4 max|b|).
 */
class SdxlLoraPatcherTest {
    private static final double TOL = 1e-4;
    private static SafetensorsFile checkpoint;
    private static FixtureTensors cases;
    private static FixtureTensors loraCases;
    private static StableDiffusion model;
    private static LoraNetwork lora;

    @BeforeAll
    static void load() throws Exception {
        checkpoint = SafetensorsFile.open(Fixtures.file("sdxl-tiny/tiny.safetensors"));
        cases = new FixtureTensors("sdxl-tiny/cases.safetensors");
        loraCases = new FixtureTensors("sdxl-tiny/lora-cases.safetensors");
        model = TinyFixtureModel.loadSdxl();
        lora = LoraReader.read(Fixtures.file("sdxl-tiny/lora.safetensors"));
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(model, checkpoint, cases, loraCases);
    }

    private static LoraNetwork only(Predicate<String> moduleName) {
        Map<String, LoraModule> picked = lora.modules().entrySet().stream().filter(e -> moduleName.test(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        return new LoraNetwork(picked, lora.metadata(), List.of(), lora.styles());
    }

    private static List<SizeConditioning> sizes(NDManager step) {
        return SizeConditioning.rows(cases.array(step, "original_size").toLongArray(),
                cases.array(step, "crop_coords_top_left").toLongArray(), cases.array(step, "target_size").toLongArray());
    }

    /** Checks {prefix}text_context, text_y, eps (random inputs) and eps_from_text under the patched weights. */
    private static void assertOutputs(String prefix, String epsName) {
        try (NDManager step = model.manager().newSubManager()) {
            SdxlConditioner conditioner = new SdxlConditioner(model);
            SdxlConditioner.Text text = conditioner.encode(cases.array(step, "te1_ids"), cases.array(step, "te2_ids"));
            NDArray y = conditioner.vector(text.pooled(), sizes(step));
            loraCases.assertClose(prefix + "text_context", text.context(), TOL);
            loraCases.assertClose(prefix + "text_y", y, TOL);
            NDArray latents = cases.array(step, "latents");
            NDArray timesteps = cases.array(step, "timesteps");
            loraCases.assertClose(epsName, model.unet().forward(latents, timesteps, cases.array(step, "context"),
                    cases.array(step, "y"), UNetTrace.NONE), TOL);
            loraCases.assertClose(prefix + "eps_from_text", model.unet().forward(latents, timesteps, text.context(), y,
                    UNetTrace.NONE), TOL);
            if (prefix.equals("lora_")) {
                loraCases.assertClose("lora_te1_sdxl", text.te1Hidden(), TOL);
                loraCases.assertClose("lora_te2_penultimate", text.te2Penultimate(), TOL);
                loraCases.assertClose("lora_te2_pooled", text.pooled(), TOL);
            }
        }
    }

    @Test
    void everyModuleOfTheFile_findsItsWeight_andAllAt1_matchesTextContextYAndEps() {
        try (WeightPatcher patch = LoraPatcher.apply(model, List.of(LoraApplication.of("lora", lora, 1f)))) {
            // te2 q/k/v share in_proj_weight: 1052 modules, 1052 - 2 * 32 weights
            assertEquals(1052 - 64, patch.patchedKeys().size());
            assertOutputs("lora_", "lora_eps");
        }
    }

    @Test
    void lierLaModulesOnly_matchLierLaEps() throws Exception {
        Set<String> lierLa = KeyTables.rows("sdxl-tiny/lora-modules.tsv").stream()
                .filter(r -> r.get("lora_name").startsWith("lora_unet_") && r.get("created_by").equals("default(LierLa)"))
                .map(r -> r.get("lora_name")).collect(Collectors.toSet());
        assertEquals(722, lierLa.size());
        try (WeightPatcher patch = LoraPatcher.apply(model, List.of(LoraApplication.of("lierla", only(lierLa::contains), 1f)));
             NDManager step = model.manager().newSubManager()) {
            loraCases.assertClose("lora_lierla_only_eps", model.unet().forward(cases.array(step, "latents"),
                    cases.array(step, "timesteps"), cases.array(step, "context"), cases.array(step, "y"), UNetTrace.NONE), TOL);
        }
    }

    @Test
    void pickedModulesAt07_matchMergedWeightsIncludingFusedQkvRows_andRestoreIsBitExact() throws Exception {
        List<String> merged = loraCases.file().names().stream().filter(n -> n.startsWith("merged_0.7.")).toList();
        Set<String> picked = Set.of("lora_te1_text_model_encoder_layers_0_self_attn_q_proj",
                "lora_te1_text_model_encoder_layers_1_mlp_fc1", "lora_te2_text_model_encoder_layers_0_self_attn_q_proj",
                "lora_te2_text_model_encoder_layers_0_self_attn_k_proj", "lora_te2_text_model_encoder_layers_0_self_attn_v_proj",
                "lora_te2_text_model_encoder_layers_0_self_attn_out_proj", "lora_te2_text_model_encoder_layers_5_mlp_fc2",
                "lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q",
                "lora_unet_input_blocks_4_1_transformer_blocks_0_attn2_to_k",
                "lora_unet_input_blocks_4_1_transformer_blocks_0_attn2_to_out_0",
                "lora_unet_input_blocks_4_1_transformer_blocks_0_ff_net_0_proj",
                "lora_unet_input_blocks_4_1_transformer_blocks_0_ff_net_2", "lora_unet_input_blocks_4_1_proj_in",
                "lora_unet_input_blocks_4_1_proj_out", "lora_unet_input_blocks_1_0_in_layers_2",
                "lora_unet_input_blocks_1_0_out_layers_3", "lora_unet_input_blocks_1_0_emb_layers_1",
                "lora_unet_input_blocks_4_0_skip_connection", "lora_unet_input_blocks_3_0_op",
                "lora_unet_output_blocks_2_2_conv", "lora_unet_middle_block_1_transformer_blocks_9_attn1_to_v");
        assertEquals(21, picked.size());
        try (WeightPatcher patch = LoraPatcher.apply(model, List.of(LoraApplication.of("picked", only(picked::contains), 0.7f)))) {
            assertEquals(merged.size(), patch.patchedKeys().size());
            for (String name : merged) {
                loraCases.assertClose(name, model.params().get(name.substring("merged_0.7.".length())).value(), 1e-5);
            }
        }
        for (String key : model.params().params().keySet()) {
            assertArrayEquals(checkpoint.readFloats(key), model.params().get(key).value().toFloatArray(), key);
        }
    }

    @Test
    void blockWeights12And20_expandLikeTo26_andMatchTheirOutputs() {
        for (String n : List.of("12", "20")) {
            LoraBlockWeights weights = LoraBlockWeights.of(loraCases.floats("lbw" + n + "_ratios"));
            assertArrayEquals(loraCases.floats("lbw" + n + "_ratios26"), weights.ratios26(), "lbw" + n + " to26");
            try (WeightPatcher patch = LoraPatcher.apply(model,
                    List.of(new LoraApplication("lora", lora, 1f, 1f, weights)))) {
                assertOutputs("lbw" + n + "_", "lbw" + n + "_eps");
            }
        }
    }

    @Test
    void sd1Lora_onSdxl_isRefusedNamingTheModules() throws Exception {
        LoraNetwork sd1 = LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors"));
        LoraMismatchException e = assertThrows(LoraMismatchException.class,
                () -> LoraPatcher.apply(model, List.of(LoraApplication.of("sd1", sd1, 1f))));
        assertTrue(e.getMessage().contains("lora_unet_down_blocks_"), e.getMessage());
    }
}
