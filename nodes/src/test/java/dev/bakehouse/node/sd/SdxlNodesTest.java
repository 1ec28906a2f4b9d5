package dev.bakehouse.node.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.bakehouse.model.FixtureTensors;
import dev.bakehouse.model.StableDiffusion;
import dev.bakehouse.model.conditioning.SdxlConditioner;
import dev.bakehouse.model.conditioning.SizeConditioning;
import dev.bakehouse.model.sampling.UNetConditioning;
import dev.bakehouse.model.tokenizer.ClipTokenizer;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.SharedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny SDXL checkpoint through the graph nodes: CLIPTextEncodeSDXL / CLIPTextEncode, KSampler, VAEDecode. */
class SdxlNodesTest {
    private static final String SDXL = "sdxl-tiny.safetensors";

    @TempDir
    static Path root;

    private static ModelNodesHarness harness;
    private static ModelValue model;
    private static ClipValue clip;
    private static VaeValue vae;

    @BeforeAll
    static void load() throws Exception {
        harness = new ModelNodesHarness(root);
        Path checkpoints = root.resolve("models/checkpoints");
        Files.copy(Fixtures.file("sdxl-tiny/tiny.safetensors"), checkpoints.resolve(SDXL));
        // the tiny model's head widths are not visible in its shapes: its config goes beside it
        Files.copy(Fixtures.file("sdxl-tiny/config.json"), checkpoints.resolve("sdxl-tiny.config.json"));
        var loaded = harness.load(SDXL);
        model = (ModelValue) loaded.outputs().get(0);
        clip = (ClipValue) loaded.outputs().get(1);
        vae = (VaeValue) loaded.outputs().get(2);
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(harness);
    }

    private static Conditioning encodeSdxl(String textG, String textL, long width, long height, long cropW, long cropH) {
        Map<String, Object> in = new HashMap<>(Map.of("clip", clip, "width", width, "height", height, "crop_w", cropW,
                "crop_h", cropH, "target_width", width, "target_height", height, "text_g", textG, "text_l", textL));
        return (Conditioning) new ClipTextEncodeSdxl().execute(new NodeInputs("CLIPTextEncodeSDXL #6", in), harness.context())
                .outputs().get(0);
    }

    private static Latent sample(Conditioning positive, Conditioning negative) {
        Latent empty = (Latent) new EmptyLatentImage().execute(new NodeInputs("EmptyLatentImage #5",
                Map.of("width", 64L, "height", 64L, "batch_size", 1L)), harness.context()).outputs().get(0);
        Map<String, Object> in = new HashMap<>();
        in.put("model", model);
        in.put("seed", 42L);
        in.put("steps", 2L);
        in.put("cfg", 7.0);
        in.put("sampler_name", "euler");
        in.put("scheduler", "normal");
        in.put("positive", positive);
        in.put("negative", negative);
        in.put("latent_image", empty);
        in.put("denoise", 1.0);
        return (Latent) new KSamplerNode().execute(new NodeInputs("KSampler #3", in), harness.context()).outputs().get(0);
    }

    /** BOS, the prompt's ids, EOS, then {@code pad} to 77. */
    private static long[] row(int[] tokens, int pad) {
        long[] ids = new long[ClipTokenizer.ROW_WIDTH];
        Arrays.fill(ids, pad);
        ids[0] = ClipTokenizer.BOS;
        for (int i = 0; i < tokens.length; i++) {
            ids[1 + i] = tokens[i];
        }
        ids[1 + tokens.length] = ClipTokenizer.EOS;
        return ids;
    }

    @Test
    void clipTextEncodeSdxl_isTheSdxlConditioningOfTheTokenizedPrompts_withTheSizesAsSgmOrdersThem() {
        Conditioning c = encodeSdxl("a photo of a cat", "a red circle", 1344, 768, 64, 32);
        assertEquals(new SizeConditioning(768, 1344, 32, 64, 768, 1344), c.size(), "height/width, crop_h/crop_w swapped");
        ClipTokenizer tokenizer = clip.tokenizer().get();
        StableDiffusion sd = harness.cache.checkpoint(model.checkpoint().file());
        try (NDManager step = sd.manager().newSubManager()) {
            NDArray te1 = step.create(row(tokenizer.encode("a red circle"), ClipTokenizer.EOS), new Shape(1, 77));
            NDArray te2 = step.create(row(tokenizer.encode("a photo of a cat"), 0), new Shape(1, 77));
            SdxlConditioner.Text expected = new SdxlConditioner(sd).encode(te1, te2);
            assertArrayEquals(expected.context().toFloatArray(), c.context().toFloatArray(), 1e-6f);
            assertArrayEquals(expected.pooled().toFloatArray(), c.pooled().toFloatArray(), 1e-6f);

            // the y the sampler builds: pooled, then the fixture's second size row (768x1344, crop 32/64) embedded
            UNetConditioning u = KSamplerNode.unetConditioning(sd, c, "positive", step);
            float[] y = u.y().toFloatArray();
            try (FixtureTensors cases = new FixtureTensors("sdxl-tiny/cases.safetensors")) {
                float[] timeEmb = cases.floats("time_ids_emb");
                float[] row1 = Arrays.copyOfRange(timeEmb, 1536, 3072);
                assertArrayEquals(row1, Arrays.copyOfRange(y, 24, 1560), 1e-6f);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void clipTextEncode_onSdxl_encodesBothEncodersWithComfyDefaultSizes() {
        Conditioning c = harness.encode(clip, "a red circle");
        assertEquals(32, c.context().dim(2), "CLIP-L 16 + bigG 16");
        assertEquals(24, c.pooled().dim(1));
        assertNull(c.size());
        assertEquals(SizeConditioning.uncropped(768, 768), c.sizeOrDefault());
        assertThrows(IllegalArgumentException.class,
                () -> harness.encode(clip.withStopAtLayer(-2), "a red circle"), "a clip skip for SDXL is refused");
    }

    @Test
    void kSampler_sdxl_samplesDeterministicallyAndTheSizeConditioningChangesTheResult() {
        Conditioning positive = encodeSdxl("a photo of a cat", "a photo of a cat", 1024, 1024, 0, 0);
        Conditioning negative = encodeSdxl("", "", 1024, 1024, 0, 0);
        Latent sampled = sample(positive, negative);
        float[] first = sampled.samples().toFloatArray();
        float[] again = sample(positive, negative).samples().toFloatArray();
        assertArrayEquals(first, again, "same seed, same latent");
        for (float v : first) {
            assertTrue(Float.isFinite(v));
        }
        Conditioning cropped = encodeSdxl("a photo of a cat", "a photo of a cat", 1024, 1024, 256, 128);
        assertFalse(Arrays.equals(first, sample(cropped, negative).samples().toFloatArray()), "crop numbers reach the UNet");

        ImageBatch image = (ImageBatch) new VaeDecode().execute(new NodeInputs("VAEDecode #8",
                Map.of("samples", sampled, "vae", vae)), harness.context()).outputs().get(0);
        assertEquals(64, image.height());
        assertEquals(64, image.width());
        assertEquals(3, image.channels());
    }

    @Test
    void kSampler_sdxlWithAnSd1Conditioning_isRefusedNamingPooledOutput() {
        Conditioning sd1Style = new Conditioning(encodeSdxl("a", "a", 1024, 1024, 0, 0).context());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sample(sd1Style, encodeSdxl("", "", 1024, 1024, 0, 0)));
        assertTrue(e.getMessage().contains("positive") && e.getMessage().contains("pooled_output"), e.getMessage());
    }
}
