package dev.bakehouse.lora.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.lora.format.LoraTensor;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoraMergeTest {
    private static LoraNetwork a;
    private static LoraNetwork b;

    @BeforeAll
    static void read() throws Exception {
        a = LoraReader.read(Fixtures.file("sd15-tiny/lora.safetensors"));
        // a second, different LoRA of the same modules: the first resized to rank 2
        b = LoraResize.resize(a, new LoraResize.Options(2, null, null, null, DType.F32), Progress.NONE).network();
    }

    private static long[] weightShape(LoraModule m) {
        LoraTensor up = m.tensor("lora_up.weight").get();
        long[] shape = m.tensor("lora_down.weight").get().shape();
        shape[0] = up.rows();
        return shape;
    }

    /** 0.7·ΔW_a − 0.4·ΔW_b, computed directly. */
    private static float[] expected(String module) {
        LoraModule ma = a.module(module);
        float[] da = ma.deltaWeight(weightShape(ma));
        float[] db = b.module(module).deltaWeight(weightShape(ma));
        for (int i = 0; i < da.length; i++) {
            da[i] = 0.7f * da[i] - 0.4f * db[i];
        }
        return da;
    }

    private static List<LoraMerge.Input> inputs() {
        return List.of(new LoraMerge.Input("a", a, 0.7f, null), new LoraMerge.Input("b", b, -0.4f, null));
    }

    @Test
    void svdMerge_atSummedRank_equalsTheWeightedSumOfDeltas() {
        LoraMerge.Result r = LoraMerge.merge(inputs(), new LoraMerge.Options(LoraMerge.Mode.SVD, 6, 6, null, DType.F32), Progress.NONE);
        for (LoraModule m : r.network().modules().values()) {
            float[] want = expected(m.name());
            double err = RandomizedSvdTest.maxAbsError(want, m.deltaWeight(weightShape(a.module(m.name()))));
            assertTrue(err < 1e-5 * (1 + RandomizedSvdTest.maxAbsError(want, new float[want.length])), m.name() + " " + err);
            assertEquals(1.0, m.scale(), 1e-6);
        }
        assertEquals("6", r.network().metadata().get("ss_network_dim"));
        assertEquals("{\"conv_dim\": 6, \"conv_alpha\": 6}", r.network().metadata().get("ss_network_args"));
        assertEquals("sd_v1", r.network().metadata().get("ss_base_model_version"));
    }

    @Test
    void svdMerge_atLowerRank_reportsTheKeptEnergyOfTheTruncation() {
        LoraMerge.Result r = LoraMerge.merge(inputs(), new LoraMerge.Options(LoraMerge.Mode.SVD, 2, null, null, DType.F32), Progress.NONE);
        for (LoraMerge.ModuleReport rep : r.modules()) {
            float[] want = expected(rep.name());
            float[] got = r.network().module(rep.name()).deltaWeight(weightShape(a.module(rep.name())));
            double residual = TruncatedSvd.frobeniusSquared(diff(want, got)) / TruncatedSvd.frobeniusSquared(want);
            assertEquals(1 - rep.keptEnergy(), residual, 1e-4, rep.name());
        }
    }

    @Test
    void concatMerge_isExactAtTheSummedRank() {
        LoraMerge.Result r = LoraMerge.merge(inputs(), new LoraMerge.Options(LoraMerge.Mode.CONCAT, null, null, null, DType.F32), Progress.NONE);
        LoraModule m = r.network().module("lora_unet_down_blocks_0_resnets_0_conv1");
        assertEquals(6, m.rank());
        assertTrue(RandomizedSvdTest.maxAbsError(expected(m.name()), m.deltaWeight(weightShape(m))) < 1e-5);
    }

    @Test
    void blockWeights_zeroForABlock_dropsThatBlocksContribution() {
        float[] v = new float[26];
        java.util.Arrays.fill(v, 1f);
        v[LoraBlockWeights.BLOCKS26.indexOf("IN01")] = 0f;
        LoraMerge.Result r = LoraMerge.merge(List.of(new LoraMerge.Input("a", a, 1f, LoraBlockWeights.of(v))),
                new LoraMerge.Options(LoraMerge.Mode.CONCAT, null, null, null, DType.F32), Progress.NONE);
        LoraModule in01 = r.network().module("lora_unet_down_blocks_0_attentions_0_proj_in");
        LoraModule in02 = r.network().module("lora_unet_down_blocks_0_attentions_1_proj_in");
        assertEquals(0.0, RandomizedSvdTest.maxAbsError(in01.deltaWeight(weightShape(in01)), new float[32 * 32]));
        LoraModule orig = a.module(in02.name());
        assertTrue(RandomizedSvdTest.maxAbsError(orig.deltaWeight(weightShape(orig)), in02.deltaWeight(weightShape(orig))) < 1e-6);
    }

    @Test
    void merge_modulesOfDifferentShapes_isRefusedNamingTheModule() {
        LoraModule m = a.module("lora_unet_mid_block_attentions_0_transformer_blocks_0_attn1_to_v");
        LoraModule q = a.module("lora_te_text_model_encoder_layers_0_self_attn_q_proj");
        LoraNetwork other = new LoraNetwork(Map.of(m.name(), new LoraModule(m.name(), q.kind(), q.tensors())), Map.of(), List.of(), a.styles());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoraMerge.merge(
                List.of(new LoraMerge.Input("a", a, 1f, null), new LoraMerge.Input("other", other, 1f, null)),
                new LoraMerge.Options(LoraMerge.Mode.SVD, 4, null, 0.99, DType.F32), Progress.NONE));
        assertTrue(e.getMessage().contains(m.name()), e.getMessage());
    }

    private static float[] diff(float[] x, float[] y) {
        float[] d = new float[x.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = x[i] - y[i];
        }
        return d;
    }
}
