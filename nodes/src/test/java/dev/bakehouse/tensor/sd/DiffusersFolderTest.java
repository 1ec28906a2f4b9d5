package dev.bakehouse.tensor.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.tensor.TensorSource;
import dev.bakehouse.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffusersFolderTest {

    @TempDir
    Path dir;

    @Test
    void sd15Tiny_roundTripsThroughADiffusersFolderBitExact() throws Exception {
        Path template = template();
        Path folder = dir.resolve("sd15-diffusers");
        try (SafetensorsFile ldm = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            assertEquals(List.of(), DiffusersFolder.write(ldm, template, folder));
            assertEquals("{\"_class_name\": \"StableDiffusionPipeline\"}", Files.readString(folder.resolve("model_index.json")));
            try (SafetensorsFile unet = SafetensorsFile.open(folder.resolve("unet/diffusion_pytorch_model.safetensors"));
                 SafetensorsFile vae = SafetensorsFile.open(folder.resolve("vae/diffusion_pytorch_model.safetensors"));
                 SafetensorsFile te = SafetensorsFile.open(folder.resolve("text_encoder/model.safetensors"))) {
                // names as diffusers spells them, checked against the LDM tensor they came from
                assertSame(ldm, "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight",
                        unet, "down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q.weight");
                assertSame(ldm, "model.diffusion_model.middle_block.2.emb_layers.1.weight", unet, "mid_block.resnets.1.time_emb_proj.weight");
                assertSame(ldm, "model.diffusion_model.output_blocks.2.1.conv.weight", unet, "up_blocks.0.upsamplers.0.conv.weight");
                assertSame(ldm, "model.diffusion_model.output_blocks.5.2.conv.weight", unet, "up_blocks.1.upsamplers.0.conv.weight");
                assertSame(ldm, "model.diffusion_model.input_blocks.3.0.op.weight", unet, "down_blocks.0.downsamplers.0.conv.weight");
                assertSame(ldm, "model.diffusion_model.time_embed.0.weight", unet, "time_embedding.linear_1.weight");
                assertSame(ldm, "model.diffusion_model.input_blocks.4.0.skip_connection.weight", unet, "down_blocks.1.resnets.0.conv_shortcut.weight");
                assertSame(ldm, "first_stage_model.decoder.up.3.upsample.conv.weight", vae, "decoder.up_blocks.0.upsamplers.0.conv.weight");
                assertSame(ldm, "first_stage_model.decoder.up.0.block.2.norm1.weight", vae, "decoder.up_blocks.3.resnets.2.norm1.weight");
                assertSame(ldm, "first_stage_model.encoder.down.1.block.0.nin_shortcut.weight", vae, "encoder.down_blocks.1.resnets.0.conv_shortcut.weight");
                assertSame(ldm, "first_stage_model.encoder.mid.attn_1.norm.bias", vae, "encoder.mid_block.attentions.0.group_norm.bias");
                assertArrayEquals(new long[] {96, 96}, vae.info("encoder.mid_block.attentions.0.to_q.weight").shape(),
                        "diffusers stores the VAE attention projections as linears");
                assertArrayEquals(ldm.readBytes("first_stage_model.encoder.mid.attn_1.q.weight"),
                        vae.readBytes("encoder.mid_block.attentions.0.to_q.weight"));
                assertSame(ldm, "cond_stage_model.transformer.text_model.encoder.layers.1.mlp.fc2.weight", te,
                        "text_model.encoder.layers.1.mlp.fc2.weight");
            }
            DiffusersFolder.Opened back = DiffusersFolder.open(folder);
            try (TensorSource t = back.tensors()) {
                assertEquals(List.of(), back.unmappedKeys());
                assertEquals(ldm.names(), t.names());
                for (String name : ldm.names()) {
                    assertArrayEquals(ldm.info(name).shape(), t.info(name).shape(), name);
                    assertArrayEquals(ldm.readBytes(name), t.readBytes(name), name);
                }
                assertEquals(DetectedArchitecture.Family.SD1, ArchitectureDetector.detect(t).family());
            }
        }
    }

    @Test
    void sdxlTiny_roundTripsIncludingTheOpenClipEncoder() throws Exception {
        Path folder = dir.resolve("sdxl-diffusers");
        try (SafetensorsFile ldm = SafetensorsFile.open(Fixtures.file("sdxl-tiny/tiny.safetensors"))) {
            List<String> unplaced = DiffusersFolder.write(ldm, template(), folder);
            assertEquals(List.of("conditioner.embedders.1.model.logit_scale"), unplaced, "CLIP's logit_scale has no diffusers home");
            try (SafetensorsFile te2 = SafetensorsFile.open(folder.resolve("text_encoder_2/model.safetensors"))) {
                String p = "conditioner.embedders.1.model.";
                long[] inProj = ldm.info(p + "transformer.resblocks.0.attn.in_proj_weight").shape();
                assertArrayEquals(new long[] {inProj[0] / 3, inProj[1]},
                        te2.info("text_model.encoder.layers.0.self_attn.k_proj.weight").shape());
                long[] proj = ldm.info(p + "text_projection").shape();
                assertArrayEquals(new long[] {proj[1], proj[0]}, te2.info("text_projection.weight").shape());
            }
            DiffusersFolder.Opened back = DiffusersFolder.open(folder);
            try (TensorSource t = back.tensors()) {
                for (String name : ldm.names()) {
                    if (!name.endsWith("logit_scale")) {
                        assertArrayEquals(ldm.readBytes(name), t.readBytes(name), name);
                    }
                }
                assertEquals(ldm.names().size() - 1, t.names().size());
                assertEquals(DetectedArchitecture.Family.SDXL, ArchitectureDetector.detect(t).family());
            }
        }
    }

    @Test
    void existingTarget_isRefused() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("taken"));
        try (SafetensorsFile ldm = SafetensorsFile.open(Fixtures.file("sd15-tiny/tiny.safetensors"))) {
            TensorFileException e = assertThrows(TensorFileException.class, () -> DiffusersFolder.write(ldm, null, folder));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        }
    }

    private Path template() throws Exception {
        Path t = dir.resolve("template");
        Files.createDirectories(t.resolve("unet"));
        Files.writeString(t.resolve("model_index.json"), "{\"_class_name\": \"StableDiffusionPipeline\"}");
        Files.writeString(t.resolve("unet/config.json"), "{}");
        Files.writeString(t.resolve("unet/diffusion_pytorch_model.safetensors"), "old weights, not copied");
        return t;
    }

    private static void assertSame(SafetensorsFile ldm, String ldmKey, SafetensorsFile diffusers, String key) throws Exception {
        assertArrayEquals(ldm.readBytes(ldmKey), diffusers.readBytes(key), ldmKey + " -> " + key);
    }
}
