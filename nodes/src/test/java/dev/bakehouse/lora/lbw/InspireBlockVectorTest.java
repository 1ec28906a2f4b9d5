package dev.bakehouse.lora.lbw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.format.LoraKind;
import dev.bakehouse.lora.format.LoraModule;
import dev.bakehouse.lora.format.LoraNetwork;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InspireBlockVectorTest {
    private static final String TE = "lora_te_text_model_encoder_layers_0_mlp_fc1";
    private static final String IN01 = "lora_unet_down_blocks_0_attentions_0_proj_in";
    private static final String IN02 = "lora_unet_down_blocks_0_attentions_1_proj_in";
    private static final String IN04 = "lora_unet_down_blocks_1_attentions_0_proj_in";
    private static final String MID = "lora_unet_mid_block_attentions_0_proj_in";
    private static final String MID_RES0 = "lora_unet_mid_block_resnets_0_conv1";
    private static final String MID_RES1 = "lora_unet_mid_block_resnets_1_conv1";
    private static final String OUT03 = "lora_unet_up_blocks_1_attentions_0_proj_in";
    private static final String OUT11 = "lora_unet_up_blocks_3_attentions_2_proj_in";

    /** A network with modules of these names (the tensors are not read by the mapping). */
    private static LoraNetwork network(String... names) {
        Map<String, LoraModule> modules = new LinkedHashMap<>();
        for (String n : names) {
            modules.put(n, new LoraModule(n, LoraKind.LORA, Map.of()));
        }
        return new LoraNetwork(modules, Map.of(), List.of(), Set.of(LoraNetwork.KeyStyle.KOHYA));
    }

    private static InspireBlockVector.Result apply(LoraNetwork net, String vector, boolean inverse) {
        return InspireBlockVector.apply(net, vector, LbwPresets.builtIn(), inverse, new SplittableRandom(3), 4f, 1f);
    }

    @Test
    void apply_entriesGoToTheBlocksTheLoraHas_inOrder_baseFirst() {
        LoraNetwork net = network(OUT11, TE, IN04, MID, IN01, OUT03);
        InspireBlockVector.Result r = apply(net, "0.9,0.1,0.2,0.3,0.4,0.5,0.6,1,1,1,1,1", false);
        assertEquals(Map.of(TE, 0.9f, IN01, 0.1f, IN04, 0.2f, MID, 0.3f, OUT03, 0.4f, OUT11, 0.5f), r.moduleRatios());
        assertEquals("0.9,0.1,0.2,0.3,0.4,0.5", r.populatedVector());
    }

    @Test
    void apply_middleBlockParts_eachTakeAnEntry() {
        LoraNetwork net = network(MID_RES1, MID, MID_RES0, TE);
        InspireBlockVector.Result r = apply(net, "1,0.1,0.2,0.3,0,0,0,0,0,0,0,0", false);
        assertEquals(0.1f, r.moduleRatios().get(MID_RES0));
        assertEquals(0.2f, r.moduleRatios().get(MID));
        assertEquals(0.3f, r.moduleRatios().get(MID_RES1));
    }

    @Test
    void apply_fewerEntriesThanBlocks_repeatsTheLast_andLettersAndInverseApply() {
        LoraNetwork net = network(TE, IN01, IN02, IN04, MID, OUT03, OUT11);
        InspireBlockVector.Result r = apply(net, "SD-AB:A,B,b,a,1,1,1,1,1,1,1,1", false);
        assertEquals(4f, r.moduleRatios().get(TE));
        assertEquals(1f, r.moduleRatios().get(IN01));
        assertEquals(0.5f, r.moduleRatios().get(IN02));
        assertEquals(2f, r.moduleRatios().get(IN04));
        InspireBlockVector.Result inv = apply(network(TE, IN01, IN02), "0.25,0,1,1,1,1,1,1,1,1,1,1", true);
        assertEquals(Map.of(TE, 0.75f, IN01, 1f, IN02, 0f), inv.moduleRatios());
        assertEquals("0.75,1,0", inv.populatedVector());
    }

    @Test
    void apply_17BlockLora_with12Entries_repeatsTheLastEntryForTheRest_andMatchesTheExtensionsMappingAt17() {
        List<String> names = new java.util.ArrayList<>(List.of(TE, MID));
        for (int n : new int[] {1, 2, 4, 5, 7, 8}) {
            names.add("lora_unet_input_blocks_" + n + "_1_proj_in");
        }
        for (int n = 3; n <= 11; n++) {
            names.add("lora_unet_output_blocks_" + n + "_1_proj_in");
        }
        LoraNetwork net = network(names.toArray(String[]::new));
        InspireBlockVector.Result r = apply(net, "1,0,0,0,0,0,0,0,0,0,0,0.5", false);
        assertEquals("1,0,0,0,0,0,0,0,0,0,0,0.5", r.populatedVector(), "one populated entry per vector entry");
        for (int n = 6; n <= 11; n++) {
            assertEquals(0.5f, r.moduleRatios().get("lora_unet_output_blocks_" + n + "_1_proj_in"), "OUT" + n);
        }
        String v17 = "0.9,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.11,0.12,0.13,0.14,0.15,0.16,0.17,0.18";
        InspireBlockVector.Result full = apply(net, v17, false);
        var extension = LbwPresets.builtIn().blockWeights(v17, "t");
        for (String m : names) {
            assertEquals(extension.ratio(dev.bakehouse.lora.format.KohyaModuleNames.blockOfModuleName(m).orElseThrow()),
                    full.moduleRatios().get(m), m);
        }
    }

    @Test
    void apply_presetNameOrRandomEntries_areResolved_zeroRatioModulesLeftOutOfTheParts() {
        LoraNetwork net = network(TE, IN01, OUT03);
        InspireBlockVector.Result r = apply(net, "SD-OUTD", false);
        assertEquals(Map.of(TE, 1f, IN01, 0f, OUT03, 0f), r.moduleRatios(), "SD-OUTD's 2nd and 3rd entries are 0");
        assertEquals(Set.of(1f), r.networksByRatio(net).keySet());
        assertEquals(Set.of(TE), r.networksByRatio(net).get(1f).modules().keySet());
        for (int seed = 0; seed < 50; seed++) {
            InspireBlockVector.Result rnd = InspireBlockVector.apply(net, "R,U,R,1,1,1,1,1,1,1,1,1", LbwPresets.builtIn(),
                    false, new SplittableRandom(seed), 4f, 1f);
            assertTrue(rnd.moduleRatios().get(IN01) >= -1.5f && rnd.moduleRatios().get(IN01) <= 1.5f);
            assertTrue(rnd.moduleRatios().get(OUT03) >= 0f && rnd.moduleRatios().get(OUT03) <= 3f);
        }
    }

    @Test
    void apply_percentSpec_setsGroupsAndPositionsAmongThePresentBlocks() {
        LoraNetwork net = network(TE, IN01, IN02, IN04, MID, OUT03, OUT11);
        InspireBlockVector.Result r = apply(net, "%default=0.5, base=1, in2-3=0, out2=0.25, mid=0.75", false);
        assertEquals("1,0.5,0,0,0.75,0.5,0.25", r.populatedVector());
        assertEquals(0f, r.moduleRatios().get(IN04));
        assertEquals(0.25f, r.moduleRatios().get(OUT11));
        assertEquals("1,1,1,1,1,1,1", apply(net, "%", false).populatedVector());
        assertEquals("0,0,0,0,0,0,0", apply(net, "%default=0", false).populatedVector());
    }

    @Test
    void apply_unsupportedOrUnknownText_isRefusedClearly() {
        LoraNetwork net = network(TE, IN01);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply(net, "%default=1,in=0,up=1", false))
                .getMessage().contains("item 'up=1' is not one of"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply(net, "1,1 0 0.5,1,1,1,1,1,1,1,1,1,1", false))
                .getMessage().contains("entry 2 ('1 0 0.5'): per-layer sub-vectors"));
        String unknown = assertThrows(IllegalArgumentException.class, () -> apply(net, "1,0.5", false)).getMessage();
        assertTrue(unknown.contains("not a vector of at least 12 values and not a preset") && unknown.contains("SD-ALL"),
                unknown);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> apply(net, "1,1,1,1,1,1,1,1,1,1,1,X", false))
                .getMessage().contains("value 12 ('X') is not a number, R, U, A, a, B or b"));
    }
}
