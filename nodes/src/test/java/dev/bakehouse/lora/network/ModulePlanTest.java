package dev.bakehouse.lora.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.format.KohyaModuleNames;
import dev.bakehouse.lora.format.LbwBlock;
import dev.bakehouse.lora.format.LoraTarget;
import dev.bakehouse.tensor.sd.ShapeIndex;
import dev.bakehouse.testing.KeyTables;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** kohya's module rules (which targets get a module, with which rank and alpha) on the SD1.5 key table. */
class ModulePlanTest {
    private static List<LoraTarget> sd15;
    private static List<Map<String, String>> table;

    @BeforeAll
    static void load() throws Exception {
        sd15 = KohyaModuleNames.enumerate(new ShapeIndex(null, KeyTables.shapes("sd15-keys.tsv")));
        table = KeyTables.rows("sd15-lora-modules.tsv");
    }

    @Test
    void defaults_createExactlyTheLierLaRowsOfTheSd15Table_atNetworkDim() {
        Map<String, float[]> plan = plan(NetworkOptions.defaults().withDim(32, 16f));
        Map<String, String> expected = new TreeMap<>();
        table.stream().filter(r -> r.get("created_by").equals("default(LierLa)")).forEach(r -> expected.put(r.get("lora_name"), "32/16.0"));
        assertEquals(264, expected.size());
        assertEquals(expected, describe(plan));
    }

    @Test
    void convDim_createsEverySd15Row_3x3AtConvDimAndTheRestAtNetworkDim() {
        Map<String, float[]> plan = plan(NetworkOptions.defaults().withDim(32, 16f).withConv(8, 4f));
        Map<String, String> expected = new TreeMap<>();
        table.forEach(r -> expected.put(r.get("lora_name"), r.get("rank_from").equals("conv_dim") ? "8/4.0" : "32/16.0"));
        assertEquals(350, expected.size());
        assertEquals(expected, describe(plan));
    }

    @Test
    void alphaZero_meansAlphaEqualsRank() {
        plan(NetworkOptions.defaults().withDim(8, 0f)).values().forEach(da -> assertArrayEquals(new float[] {8, 8}, da));
    }

    @Test
    void unetOnlyAndTextEncoderOnly_leaveTheOtherPartOut() {
        assertTrue(plan(NetworkOptions.defaults().withParts(true, false)).keySet().stream().noneMatch(n -> n.startsWith("lora_te")));
        assertTrue(plan(NetworkOptions.defaults().withParts(false, true)).keySet().stream().allMatch(n -> n.startsWith("lora_te_")));
        assertThrows(IllegalArgumentException.class, () -> NetworkOptions.defaults().withParts(true, true));
    }

    @Test
    void blockSelection_leavesUnselectedBlocksOut() {
        Map<String, float[]> plan = plan(NetworkOptions.defaults().withConv(4, 1f).withBlocks(LbwBlock.parseSelection("IN04-IN07,OUT03-OUT06")));
        assertEquals(java.util.EnumSet.range(LbwBlock.IN04, LbwBlock.IN07).size() + 4,
                plan.keySet().stream().map(n -> KohyaModuleNames.blockOfModuleName(n).orElseThrow()).distinct().count());
        for (String name : plan.keySet()) {
            LbwBlock b = KohyaModuleNames.blockOfModuleName(name).orElseThrow();
            assertTrue(b.compareTo(LbwBlock.IN04) >= 0 && b.compareTo(LbwBlock.IN07) <= 0
                    || b.compareTo(LbwBlock.OUT03) >= 0 && b.compareTo(LbwBlock.OUT06) <= 0, name);
        }
    }

    @Test
    void blockDimsAndAlphas_setRankPerBlock_zeroLeavesTheBlockOut_textEncoderKeepsNetworkDim() {
        String dims = "2,2,2,2,2,2,2,2,2,2,2,2,0,4,4,4,4,4,4,4,4,4,4,4";
        String alphas = "1,1,1,1,1,1,1,1,1,1,1,1,1,3,3,3,3,3,3,3,3,3,3,3";
        Map<String, float[]> plan = plan(NetworkOptions.defaults().withDim(16, 8f)
                .withNetworkArgs(List.of("block_dims=" + dims + ",4", "block_alphas=" + alphas + ",3")));
        for (var e : plan.entrySet()) {
            LbwBlock b = KohyaModuleNames.blockOfModuleName(e.getKey()).orElseThrow();
            float[] want = b == LbwBlock.BASE ? new float[] {16, 8} : b.isInput() ? new float[] {2, 1} : new float[] {4, 3};
            assertArrayEquals(want, e.getValue(), e.getKey());
            assertTrue(b != LbwBlock.M00, e.getKey());
        }
        assertTrue(plan.keySet().stream().noneMatch(n -> n.contains("_resnets_")), "no C3Lier modules without conv dims");
    }

    @Test
    void blockLrWeightZero_removesTheBlocksModules_andThresholdZeroesSmallWeights() {
        Map<String, float[]> plan = plan(NetworkOptions.defaults()
                .withNetworkArgs(List.of("down_lr_weight=zeros", "mid_lr_weight=0.05", "up_lr_weight=1,1,1,0.5", "block_lr_zero_threshold=0.1")));
        assertTrue(plan.keySet().stream().map(n -> KohyaModuleNames.blockOfModuleName(n).orElseThrow())
                .allMatch(b -> b == LbwBlock.BASE || b.isOutput()), "only BASE and OUT blocks remain");
        assertTrue(plan.keySet().stream().anyMatch(n -> n.startsWith("lora_unet_up_blocks_1_attentions_0")));
    }

    @Test
    void blockLrPresets_followKohyasFormulas() {
        BlockLrWeights w = BlockLrWeights.parse("sine+0.5", null, "reverse_linear", 0f);
        assertEquals(0.5f, w.factor(LbwBlock.IN00), 1e-6);
        assertEquals(1.5f, w.factor(LbwBlock.IN11), 1e-6);
        assertEquals((float) (Math.sin(Math.PI * 5 / 11 / 2) + 0.5), w.factor(LbwBlock.IN05), 1e-6);
        assertEquals(1f, w.factor(LbwBlock.M00));
        assertEquals(1f, w.factor(LbwBlock.OUT00), 1e-6);
        assertEquals(0f, w.factor(LbwBlock.OUT11), 1e-6);
        BlockLrWeights shortList = BlockLrWeights.parse("0.5,,2", "0.3", null, 0f);
        assertEquals(0f, shortList.factor(LbwBlock.IN01), "empty entries are 0 as in kohya");
        assertEquals(1f, shortList.factor(LbwBlock.IN03), "missing entries are 1 as in kohya");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockLrWeights.parse("squares", null, null, 0f));
        assertTrue(e.getMessage().contains("down_lr_weight 'squares'"), e.getMessage());
    }

    @Test
    void networkArgs_unknownKeysAndBadLengths_areNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> NetworkOptions.defaults().withNetworkArgs(List.of("conv_dim=4", "conv_dimm=4", "algo=lora")));
        assertTrue(unknown.getMessage().contains("[conv_dimm, algo]"), unknown.getMessage());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> NetworkOptions.defaults().withNetworkArgs(List.of("block_dims=1,2,3")));
        assertTrue(length.getMessage().contains("block_dims must have 25 values"), length.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NetworkOptions.defaults().withDropout(1f, null, null));
    }

    private static Map<String, float[]> plan(NetworkOptions options) {
        Map<String, float[]> out = new TreeMap<>();
        for (LoraTarget t : sd15) {
            float[] da = TrainableLoraNetwork.dimAndAlpha(t, options, null);
            if (da != null) {
                out.put(t.loraName(), da);
            }
        }
        return out;
    }

    private static Map<String, String> describe(Map<String, float[]> plan) {
        Map<String, String> out = new TreeMap<>();
        plan.forEach((k, v) -> out.put(k, (int) v[0] + "/" + v[1]));
        return out;
    }
}
