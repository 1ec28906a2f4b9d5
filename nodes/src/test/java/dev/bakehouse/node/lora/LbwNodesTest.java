package dev.bakehouse.node.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.LoraApplication;
import dev.bakehouse.lora.format.LbwBlock;
import dev.bakehouse.lora.lbw.LbwPresets;
import dev.bakehouse.node.DataDirs;
import dev.bakehouse.node.NodeResult;
import dev.bakehouse.node.sd.ClipValue;
import dev.bakehouse.node.sd.ModelNodesHarness;
import dev.bakehouse.node.sd.ModelValue;
import dev.bakehouse.testing.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoraFromPrompt and LoraLoaderBlockWeight on the tiny fixture model and LoRA (no sampling). */
class LbwNodesTest {
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
        Path presets = root.resolve(DataDirs.LBW_PRESETS);
        Files.createDirectories(presets.getParent());
        Files.writeString(presets, "NCNF:1,1,1,1,1,1,1,1,0,0,0,0,1,1,1,1,1\n");
        Path sub = tiny.dirs.models(DataDirs.LORAS).resolve("chars");
        Files.createDirectories(sub);
        Files.copy(tiny.dirs.resolveModel(DataDirs.LORAS, ModelNodesHarness.LORA), sub.resolve("m4_carbine.safetensors"));
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    private static NodeResult fromPrompt(String text) {
        return new LoraFromPrompt(tiny.dirs, tiny.cache).execute(ModelNodesHarness.inputs("LoraFromPrompt #5",
                Map.of("model", model, "clip", clip, "text", text, "seed", 0L)), tiny.context());
    }

    private static NodeResult blockWeight(String vector, String preset, double strengthModel, boolean bypass) {
        Map<String, Object> in = new HashMap<>(Map.of("model", model, "clip", clip, "category_filter", "All",
                "lora_name", ModelNodesHarness.LORA, "strength_model", strengthModel, "strength_clip", 0.5,
                "inverse", false, "seed", 0L, "A", 4.0, "B", 1.0));
        in.put("preset", preset);
        in.put("block_vector", vector);
        in.put("bypass", bypass);
        return new LoraLoaderBlockWeight(tiny.dirs, tiny.cache).execute(
                ModelNodesHarness.inputs("LoraLoaderBlockWeight #6", in), tiny.context());
    }

    private static List<LoraApplication> loras(Object value) {
        return value instanceof ModelValue m ? m.checkpoint().loras() : ((ClipValue) value).checkpoint().loras();
    }

    @Test
    void loraFromPrompt_oldAndNewSyntax_applyTheSameLoraWithUserPreset_andStripTheTags() {
        NodeResult oldForm = fromPrompt("1girl, <lora:m4_carbine:0.8:NCNF>, smile");
        NodeResult newForm = fromPrompt("1girl, <lora:chars/m4_carbine:0.8:lbw=NCNF>, smile");
        assertEquals("1girl, , smile", oldForm.outputs().get(2));
        for (NodeResult r : List.of(oldForm, newForm)) {
            LoraApplication unet = loras(r.outputs().get(0)).get(0);
            LoraApplication text = loras(r.outputs().get(1)).get(0);
            assertEquals("chars/m4_carbine.safetensors", unet.name());
            assertEquals(0.8f, unet.unetStrength());
            assertEquals(0f, unet.textStrength());
            assertEquals(0.8f, text.textStrength());
            assertEquals(0f, unet.blockWeights().ratio(LbwBlock.OUT03), "NCNF zeroes OUT03-OUT06");
            assertEquals(1f, unet.blockWeights().ratio(LbwBlock.OUT07));
            assertEquals(unet.blockWeights(), text.blockWeights());
        }
        assertEquals(loras(oldForm.outputs().get(0)).get(0).blockWeights(),
                loras(newForm.outputs().get(0)).get(0).blockWeights());
        assertEquals(0, model.checkpoint().loras().size(), "the input MODEL is not changed");
    }

    @Test
    void loraFromPrompt_severalTags_separateStrengths_zeroSkipsThatSide() {
        NodeResult r = fromPrompt("<lora:lora:0:1> a <lora:m4_carbine:0.5:lbw=OUTD> b");
        assertEquals(" a  b", r.outputs().get(2));
        List<LoraApplication> unet = loras(r.outputs().get(0));
        List<LoraApplication> text = loras(r.outputs().get(1));
        assertEquals(List.of("lora.safetensors", "chars/m4_carbine.safetensors"), unet.stream().map(LoraApplication::name).toList());
        assertEquals(List.of("chars/m4_carbine.safetensors"), text.stream().map(LoraApplication::name).toList());
        assertNull(unet.get(0).blockWeights());
        assertEquals(LbwPresets.builtIn().blockWeights("OUTD", "t"), unet.get(1).blockWeights());
        NodeResult none = fromPrompt("no tags here");
        assertSame(model, none.outputs().get(0));
        assertEquals("no tags here", none.outputs().get(2));
    }

    @Test
    void loraFromPrompt_badTags_failNamingTheTag() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fromPrompt("<lora:missing:1>")).getMessage()
                .contains("no LoRA named 'missing'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fromPrompt("<hypernet:h:1>")).getMessage()
                .contains("<hypernet:…> networks are not supported"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> fromPrompt("<lora:lora:1:lbw=ALL:stop=10>"))
                .getMessage().contains("stop=10"));
    }

    @Test
    void loraLoaderBlockWeight_splitsTheLoraByRatio_reportsThePopulatedVector() {
        NodeResult r = blockWeight("1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0.5", "Preset", 0.8, false);
        String populated = (String) r.outputs().get(2);
        assertEquals(27, populated.split(",").length, "the fixture LoCon has 27 slots: " + populated);
        List<LoraApplication> unet = loras(r.outputs().get(0)).stream()
                .sorted(java.util.Comparator.comparing(a -> -a.unetStrength())).toList();
        List<LoraApplication> text = loras(r.outputs().get(1)).stream()
                .sorted(java.util.Comparator.comparing(a -> -a.textStrength())).toList();
        assertEquals(2, unet.size(), "ratio 1 (BASE) and 0.5 (OUT11); the zero blocks are left out");
        assertEquals(0.8f, unet.get(0).unetStrength());
        assertEquals(0.4f, unet.get(1).unetStrength(), 1e-6);
        assertEquals(0.5f, text.get(0).textStrength());
        assertTrue(unet.get(0).network().modules().keySet().stream().allMatch(n -> n.startsWith("lora_te")));
        assertTrue(unet.get(1).network().modules().keySet().stream().allMatch(n -> n.startsWith("lora_unet_up_blocks_3")));
    }

    @Test
    void loraLoaderBlockWeight_blankVectorTakesThePreset_bypassAndZeroStrengthsPassThrough() {
        NodeResult preset = blockWeight(" ", "SD-LyC-OUTALL:" + LbwPresets.INSPIRE.get("SD-LyC-OUTALL"), 1.0, false);
        assertEquals("1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,1,1,1,1", preset.outputs().get(2));
        NodeResult bypass = blockWeight("SD-ALL", "Preset", 1.0, true);
        assertSame(model, bypass.outputs().get(0));
        assertEquals("", bypass.outputs().get(2));
    }
}
