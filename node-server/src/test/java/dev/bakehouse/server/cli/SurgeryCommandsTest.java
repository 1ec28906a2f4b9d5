package dev.bakehouse.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.lora.format.LoraNetwork;
import dev.bakehouse.lora.format.LoraReader;
import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kohya command lines, prefix changed, on the tiny fixtures. */
class SurgeryCommandsTest {
    @TempDir
    Path dir;

    private static CommandRun run(String... args) {
        return CommandRun.of(args);
    }

    private static String fixture(String name) {
        return Fixtures.file("sd15-tiny/" + name).toString();
    }

    @Test
    void mergeLora_intoCheckpoint_keepsDtypesAndRecordsSources() throws Exception {
        Path out = dir.resolve("merged.safetensors");
        CommandRun r = run("merge_lora", "--sd_model", fixture("tiny-fp16.safetensors"), "--models", fixture("lora.safetensors"),
                "--ratios", "0.7", "--save_to", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("290 modules merged"), r.out());
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertEquals(DType.F16, f.info("model.diffusion_model.out.2.weight").dtype());
            assertEquals("tiny-fp16, lora", f.metadata().get("modelspec.merged_from"));
            String sources = f.metadata().get("bakehouse.merge_sources");
            assertTrue(sources.contains("\"ratio\":0.7") && sources.contains("\"sha256\""), sources);
        }
    }

    @Test
    void resizeLora_verbose_printsKohyaReportAndWritesRank() throws Exception {
        Path out = dir.resolve("r2.safetensors");
        CommandRun r = run("resize_lora", "--model", fixture("lora.safetensors"), "--new_rank", "2", "--save_to", out.toString(),
                "--verbose", "--save_precision", "fp16");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("fro retained:"), r.out());
        assertTrue(r.out().contains("Average Frobenius norm retention:"), r.out());
        LoraNetwork n = LoraReader.read(out);
        assertEquals(2, n.module("lora_unet_mid_block_attentions_0_transformer_blocks_0_attn1_to_v").rank());
        assertTrue(n.metadata().containsKey("sshs_model_hash"));
    }

    @Test
    void svdMergeLora_withKohyaLbws_writesNewRank() throws Exception {
        Path out = dir.resolve("svd.safetensors");
        CommandRun r = run("svd_merge_lora", "--models", fixture("lora.safetensors"), fixture("lora.safetensors"), "--ratios", "0.5", "0.25",
                "--lbws", "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]", "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]",
                "--new_rank", "3", "--save_to", out.toString());
        assertEquals(0, r.exit(), r.err());
        LoraNetwork n = LoraReader.read(out);
        assertEquals(3, n.module("lora_te_text_model_encoder_layers_0_mlp_fc1").rank());
        assertEquals("3", n.metadata().get("ss_network_dim"));
    }

    @Test
    void extractLora_sameModelTwice_extractsUnetOnly() throws Exception {
        Path out = dir.resolve("x.safetensors");
        CommandRun r = run("extract_lora_from_models", "--model_org", fixture("tiny.safetensors"), "--model_tuned",
                fixture("tiny.safetensors"), "--save_to", out.toString(), "--dim", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("Text encoder is same"), r.err());
        LoraNetwork n = LoraReader.read(out);
        assertEquals(192, n.modules().size());
        assertEquals("2.0", n.metadata().get("ss_network_alpha"));
        assertEquals("stable-diffusion-v1/lora", n.metadata().get("modelspec.architecture"));
    }

    @Test
    void badArguments_exitTwoNamingTheOption_andWriteNothing() {
        Path out = dir.resolve("never.ckpt");
        CommandRun r = run("merge_lora", "--sd_model", fixture("tiny.safetensors"), "--models", fixture("lora.safetensors"),
                "--ratios", "0.7", "--save_to", out.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--save_to"), r.err());
        CommandRun ratios = run("svd_merge_lora", "--models", fixture("lora.safetensors"), "--ratios", "1", "2",
                "--save_to", dir.resolve("y.safetensors").toString());
        assertEquals(2, ratios.exit());
        assertTrue(ratios.err().contains("--ratios"), ratios.err());
        CommandRun lbw = run("svd_merge_lora", "--models", fixture("lora.safetensors"), "--ratios", "1", "--lbws", "[1,2]",
                "--save_to", dir.resolve("z.safetensors").toString());
        assertEquals(2, lbw.exit());
        assertTrue(lbw.err().contains("17 or 26"), lbw.err());
        assertFalse(Files.exists(out));
    }
}
