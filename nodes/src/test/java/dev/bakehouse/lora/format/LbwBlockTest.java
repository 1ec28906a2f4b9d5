package dev.bakehouse.lora.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.testing.KeyTables;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LbwBlockTest {

    @Test
    void blockOfModuleName_everyModuleOfTheSd15AndSdxlTables_getsItsLbwBlock() throws Exception {
        for (String table : new String[] {"sd15-lora-modules.tsv", "sdxl-lora-modules.tsv"}) {
            for (Map<String, String> row : KeyTables.rows(table)) {
                assertEquals(Optional.of(LbwBlock.parse(row.get("lbw_block"))),
                        KohyaModuleNames.blockOfModuleName(row.get("lora_name")), row.get("lora_name"));
            }
        }
    }

    @Test
    void blockOfModuleName_namesOutsideTheBlocks_haveNone() {
        assertEquals(Optional.empty(), KohyaModuleNames.blockOfModuleName("lora_unet_conv_in"));
        assertEquals(Optional.empty(), KohyaModuleNames.blockOfModuleName("lora_unet_time_embedding_linear_1"));
    }

    @Test
    void ofCheckpointKey_textEncoderIsBase_unetByLdmBlock_restNone() {
        assertEquals(Optional.of(LbwBlock.BASE), LbwBlock.ofCheckpointKey("cond_stage_model.transformer.text_model.encoder.layers.0.mlp.fc1.weight"));
        assertEquals(Optional.of(LbwBlock.BASE), LbwBlock.ofCheckpointKey("conditioner.embedders.1.model.transformer.resblocks.0.attn.in_proj_weight"));
        assertEquals(Optional.of(LbwBlock.IN11), LbwBlock.ofCheckpointKey("model.diffusion_model.input_blocks.11.0.in_layers.2.weight"));
        assertEquals(Optional.of(LbwBlock.M00), LbwBlock.ofCheckpointKey("model.diffusion_model.middle_block.1.proj_in.weight"));
        assertEquals(Optional.of(LbwBlock.OUT03), LbwBlock.ofCheckpointKey("model.diffusion_model.output_blocks.3.1.proj_in.weight"));
        assertEquals(Optional.empty(), LbwBlock.ofCheckpointKey("model.diffusion_model.time_embed.0.weight"));
        assertEquals(Optional.empty(), LbwBlock.ofCheckpointKey("first_stage_model.decoder.conv_in.weight"));
    }

    @Test
    void parseSelection_rangesAndSingleIds_expandInclusively() {
        assertEquals(EnumSet.of(LbwBlock.IN04, LbwBlock.IN05, LbwBlock.IN06, LbwBlock.IN07, LbwBlock.OUT03, LbwBlock.OUT04,
                LbwBlock.OUT05, LbwBlock.OUT06, LbwBlock.M00), LbwBlock.parseSelection("IN04-IN07, out03-OUT06,M00"));
    }

    @Test
    void parseSelection_mixedOrReversedRangesAndUnknownIds_areRejectedNamingThePart() {
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> LbwBlock.parseSelection("IN04-OUT03"));
        assertTrue(mixed.getMessage().contains("IN04-OUT03"), mixed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LbwBlock.parseSelection("IN07-IN04"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> LbwBlock.parseSelection("IN4x"));
        assertTrue(unknown.getMessage().contains("IN4x"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LbwBlock.parseSelection(" , "));
    }
}
