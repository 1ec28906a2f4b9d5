package dev.bakehouse.lora.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.format.LoraNetwork.KeyStyle;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraReaderTest {

    @TempDir
    Path dir;

    @Test
    void kohyaFixture_reads290ModulesWithRankAlphaAndKinds() throws Exception {
        LoraNetwork n = LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors"));
        assertEquals(290, n.modules().size());
        assertTrue(n.unknownKeys().isEmpty(), n.unknownKeys().toString());
        assertEquals(Set.of(KeyStyle.KOHYA), n.styles());
        assertEquals(Map.of(LoraKind.LORA, 290), n.kindCounts());
        LoraModule conv = n.module("lora_unet_down_blocks_0_resnets_0_conv1");
        assertEquals(4, conv.rank());
        assertEquals(2f, conv.alpha().orElseThrow());
        assertEquals(0.5, conv.scale());
        assertEquals(LayerKind.CONV3X3, conv.layerKind().orElseThrow());
        assertEquals(LayerKind.CONV1X1, n.module("lora_unet_down_blocks_0_attentions_0_proj_in").layerKind().orElseThrow());
        assertEquals(LayerKind.LINEAR, n.module("lora_te_text_model_encoder_layers_0_mlp_fc1").layerKind().orElseThrow());
        assertEquals("networks.lora", n.metadata().get("ss_network_module"));
    }

    @Test
    void fp16Fixture_readsTheSameModulesAsFp32() throws Exception {
        LoraNetwork a = LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors"));
        LoraNetwork b = LoraReader.read(Fixtures.file("sd15-tiny/lora-fp16.safetensors"));
        assertEquals(a.modules().keySet(), b.modules().keySet());
        LoraTensor x = a.module("lora_unet_mid_block_attentions_0_proj_out").tensor("lora_up.weight").orElseThrow();
        LoraTensor y = b.module("lora_unet_mid_block_attentions_0_proj_out").tensor("lora_up.weight").orElseThrow();
        assertEquals(DType.F16, y.dtype());
        for (int i = 0; i < x.values().length; i++) {
            assertEquals(x.values()[i], y.values()[i], Math.abs(x.values()[i]) * 1e-3 + 1e-7);
        }
    }

    @Test
    void deltaWeight_matchesTheFixtureMerges() throws Exception {
        LoraNetwork n = LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors"));
        Map<String, String> targets = Map.of(
                "lora_unet_down_blocks_0_resnets_0_conv1", "model.diffusion_model.input_blocks.1.0.in_layers.2.weight",
                "lora_unet_down_blocks_0_attentions_0_proj_in", "model.diffusion_model.input_blocks.1.1.proj_in.weight",
                "lora_te_text_model_encoder_layers_0_mlp_fc1", "cond_stage_model.transformer.text_model.encoder.layers.0.mlp.fc1.weight",
                "lora_unet_up_blocks_0_upsamplers_0_conv", "model.diffusion_model.output_blocks.2.1.conv.weight");
        try (SafetensorsFile base = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"));
             SafetensorsFile cases = SafetensorsFile.open(Fixtures.file("sd15-tiny/lora-cases.safetensors"))) {
            for (Map.Entry<String, String> e : targets.entrySet()) {
                float[] w = base.readFloats(e.getValue());
                float[] merged = cases.readFloats("merged_0.7." + e.getValue());
                float[] delta = n.module(e.getKey()).deltaWeight(base.info(e.getValue()).shape());
                double maxErr = 0;
                double maxRef = 0;
                for (int i = 0; i < w.length; i++) {
                    maxErr = Math.max(maxErr, Math.abs(w[i] + 0.7 * delta[i] - merged[i]));
                    maxRef = Math.max(maxRef, Math.abs(merged[i]));
                }
                assertTrue(maxErr <= 1e-5 * maxRef + 1e-6, e.getKey() + ": max error " + maxErr);
            }
        }
    }

    @Test
    void lycorisAndDiffusersKeyStyles_mapToKohyaModules() throws Exception {
        Path f = dir.resolve("mixed.safetensors");
        float[] up = {1, 2, 3, 4};
        float[] down = {1, 0, 0, 1};
        new SafetensorsWriter()
                .addFloats("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_A.weight", DType.F32, new long[] {2, 2}, down)
                .addFloats("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.lora_B.weight", DType.F32, new long[] {2, 2}, up)
                .addFloats("unet.mid_block.attentions.0.transformer_blocks.0.attn1.processor.to_out_lora.down.weight", DType.F32, new long[] {2, 2}, down)
                .addFloats("unet.mid_block.attentions.0.transformer_blocks.0.attn1.processor.to_out_lora.up.weight", DType.F32, new long[] {2, 2}, up)
                .addFloats("text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora.down.weight", DType.F32, new long[] {2, 2}, down)
                .addFloats("text_encoder.text_model.encoder.layers.0.self_attn.q_proj.lora.up.weight", DType.F32, new long[] {2, 2}, up)
                .addFloats("emb_params", DType.F32, new long[] {2}, new float[] {0, 0})
                .write(f);
        LoraNetwork n = LoraReader.read(f);
        assertEquals(Set.of("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q",
                "lora_unet_mid_block_attentions_0_transformer_blocks_0_attn1_to_out_0",
                "lora_te_text_model_encoder_layers_0_self_attn_q_proj"), n.modules().keySet());
        assertEquals(List.of("emb_params"), n.unknownKeys(), "unplaceable keys are reported");
        assertEquals(Set.of(KeyStyle.DIFFUSERS), n.styles());
        LoraModule q = n.module("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q");
        assertEquals(1.0, q.scale(), "no alpha: scale 1 as ComfyUI loads PEFT files");
        assertArrayEquals(up, q.deltaWeight(new long[] {2, 2}));
    }

    @Test
    void sdxlPeftFile_getsKohyaSdxlModuleNames() throws Exception {
        Path f = dir.resolve("sdxl-peft.safetensors");
        new SafetensorsWriter()
                .addFloats("unet.down_blocks.1.attentions.0.transformer_blocks.1.attn1.to_q.lora_A.weight", DType.F32, new long[] {1, 2}, new float[2])
                .addFloats("unet.down_blocks.1.attentions.0.transformer_blocks.1.attn1.to_q.lora_B.weight", DType.F32, new long[] {2, 1}, new float[2])
                .addFloats("unet.up_blocks.0.resnets.2.conv1.lora_A.weight", DType.F32, new long[] {1, 2, 3, 3}, new float[18])
                .addFloats("unet.up_blocks.0.resnets.2.conv1.lora_B.weight", DType.F32, new long[] {2, 1, 1, 1}, new float[2])
                .addFloats("text_encoder_2.text_model.encoder.layers.0.self_attn.q_proj.lora_A.weight", DType.F32, new long[] {1, 2}, new float[2])
                .addFloats("text_encoder_2.text_model.encoder.layers.0.self_attn.q_proj.lora_B.weight", DType.F32, new long[] {2, 1}, new float[2])
                .addFloats("text_encoder.text_model.encoder.layers.0.mlp.fc1.lora_A.weight", DType.F32, new long[] {1, 2}, new float[2])
                .addFloats("text_encoder.text_model.encoder.layers.0.mlp.fc1.lora_B.weight", DType.F32, new long[] {2, 1}, new float[2])
                .write(f);
        Set<String> names = LoraReader.read(f).modules().keySet();
        assertEquals(Set.of("lora_unet_input_blocks_4_1_transformer_blocks_1_attn1_to_q", "lora_unet_output_blocks_2_0_in_layers_2",
                "lora_te2_text_model_encoder_layers_0_self_attn_q_proj", "lora_te1_text_model_encoder_layers_0_mlp_fc1"), names);
        Set<String> kohyaSdxl = new java.util.HashSet<>();
        dev.bakehouse.testing.KeyTables.rows("sdxl-lora-modules.tsv").forEach(r -> kohyaSdxl.add(r.get("lora_name")));
        assertTrue(kohyaSdxl.containsAll(names), "every name is one kohya gives SDXL");
    }

    @Test
    void lohaLokrDoraAndUnknownSuffixes_areReadAndReported() throws Exception {
        Path f = dir.resolve("lycoris.safetensors");
        new SafetensorsWriter()
                .addFloats("lora_unet_a.hada_w1_a", DType.F32, new long[] {2, 1}, new float[] {1, 2})
                .addFloats("lora_unet_a.hada_w1_b", DType.F32, new long[] {1, 2}, new float[] {3, 4})
                .addFloats("lora_unet_a.hada_w2_a", DType.F32, new long[] {2, 1}, new float[] {1, 1})
                .addFloats("lora_unet_a.hada_w2_b", DType.F32, new long[] {1, 2}, new float[] {2, 0.5f})
                .addFloats("lora_unet_a.alpha", DType.F32, new long[] {}, new float[] {2})
                .addFloats("lora_unet_b.lokr_w1", DType.F32, new long[] {2, 1}, new float[] {1, -1})
                .addFloats("lora_unet_b.lokr_w2", DType.F32, new long[] {1, 2}, new float[] {3, 5})
                .addFloats("lora_unet_c.lora_up.weight", DType.F32, new long[] {2, 1}, new float[] {1, 1})
                .addFloats("lora_unet_c.lora_down.weight", DType.F32, new long[] {1, 2}, new float[] {1, 1})
                .addFloats("lora_unet_c.dora_scale", DType.F32, new long[] {2, 1}, new float[] {1, 1})
                .addFloats("lora_unet_c.mystery", DType.F32, new long[] {1}, new float[] {1})
                .write(f);
        LoraNetwork n = LoraReader.read(f);
        assertEquals(Map.of(LoraKind.LOHA, 1, LoraKind.LOKR, 1, LoraKind.LORA, 1), n.kindCounts());
        assertEquals(List.of("lora_unet_c.mystery"), n.unknownKeys());
        assertTrue(n.isDora());
        // LoHa: ((w1a@w1b) * (w2a@w2b)) * alpha/rank = [[3,4],[6,8]] * [[2,.5],[2,.5]] * 2
        assertArrayEquals(new float[] {12, 4, 24, 8}, n.module("lora_unet_a").deltaWeight(new long[] {2, 2}));
        // LoKr: kron([[1],[-1]], [[3,5]]) with no decomposition: scale 1
        assertArrayEquals(new float[] {3, 5, -3, -5}, n.module("lora_unet_b").deltaWeight(new long[] {2, 2}));
    }

    @Test
    void mismatchedUpAndDown_isRefusedNamingTheModule() throws Exception {
        Path f = dir.resolve("bad.safetensors");
        new SafetensorsWriter()
                .addFloats("lora_unet_x.lora_up.weight", DType.F32, new long[] {2, 3}, new float[6])
                .addFloats("lora_unet_x.lora_down.weight", DType.F32, new long[] {2, 2}, new float[4])
                .write(f);
        TensorFileException e = assertThrows(TensorFileException.class, () -> LoraReader.read(f));
        assertTrue(e.getMessage().contains("lora_unet_x") && e.getMessage().contains("do not compose"), e.getMessage());
    }
}
