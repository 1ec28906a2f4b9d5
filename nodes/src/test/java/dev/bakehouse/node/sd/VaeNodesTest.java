package dev.bakehouse.node.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.bakehouse.node.ImageBatch;
import dev.bakehouse.node.NodeInputs;
import dev.bakehouse.tensor.SafetensorsFile;
import dev.bakehouse.testing.Fixtures;
import dev.bakehouse.testing.SharedResources;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaeNodesTest {
    @TempDir
    static Path root;

    private static ModelNodesHarness tiny;
    private static VaeValue vae;

    @BeforeAll
    static void load() throws Exception {
        tiny = new ModelNodesHarness(root);
        vae = tiny.vae();
    }

    @AfterAll
    static void close() throws Exception {
        SharedResources.close(tiny);
    }

    private static ImageBatch decode(Latent latent) {
        return (ImageBatch) new VaeDecode().execute(new NodeInputs("VAEDecode #8",
                Map.of("samples", latent, "vae", vae)), tiny.context()).outputs().get(0);
    }

    private static Latent encode(ImageBatch pixels) {
        return (Latent) new VaeEncode().execute(new NodeInputs("VAEEncode #2",
                Map.of("pixels", pixels, "vae", vae)), tiny.context()).outputs().get(0);
    }

    private static ImageBatch noise(int batch, int height, int width, int channels) {
        Random random = new Random(11);
        float[] values = new float[batch * height * width * channels];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        return new ImageBatch(batch, height, width, channels, values);
    }

    @Test
    void decode_latentOf8x8_isA64PixelRgbBatchIn0To1() {
        Random random = new Random(5);
        float[] z = new float[2 * 4 * 8 * 8];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        ImageBatch images = decode(new Latent(new HostTensor(new long[] {2, 4, 8, 8}, z)));
        assertEquals(2, images.batch());
        assertEquals(64, images.height());
        assertEquals(64, images.width());
        assertEquals(3, images.channels());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : images.toArray()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min >= 0f && max <= 1f && max > min, "range " + min + ".." + max);
    }

    @Test
    void encode_rgbaOfAnOddSize_dropsAlphaAndCropsToWholeLatentPixels() {
        assertEquals(new Shape(1, 4, 8, 8), encode(noise(1, 64, 64, 3)).samples().shape());
        assertEquals(new Shape(2, 4, 8, 9), encode(noise(2, 70, 79, 4)).samples().shape());
    }

    /**
     * ComfyUI's VAEEncode returns the posterior's mean, unscaled (no sampling, no 0.18215): the
     * fixture's {@code vae_x} (an image in [-1, 1], NCHW) given as a [0, 1] NHWC IMAGE must encode
     * to {@code vae_mean} at the fixture tolerance, max|a-b| <= 1e-4 max|b| + 1e-5.
     */
    @Test
    void encode_fixtureImage_isThePosteriorMeanOfTheReference() throws Exception {
        try (SafetensorsFile cases = SafetensorsFile.open(Fixtures.file("sd15-tiny/cases.safetensors"))) {
            float[] x = cases.readFloats("vae_x"); // (1, 3, 64, 64)
            int h = 64;
            int w = 64;
            float[] nhwc = new float[h * w * 3];
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < h * w; i++) {
                    nhwc[i * 3 + c] = (x[c * h * w + i] + 1) / 2;
                }
            }
            Latent latent = encode(new ImageBatch(1, h, w, 3, nhwc));
            float[] expected = cases.readFloats("vae_mean");
            float[] actual = latent.samples().toFloatArray();
            assertArrayEquals(cases.info("vae_mean").shape(), latent.samples().shape().getShape());
            double maxErr = 0;
            double maxRef = 0;
            for (int i = 0; i < expected.length; i++) {
                maxErr = Math.max(maxErr, Math.abs(actual[i] - expected[i]));
                maxRef = Math.max(maxRef, Math.abs(expected[i]));
            }
            System.out.printf("CONFORMANCE VAEEncode vae_mean max_abs_err=%.3e max_ref=%.3e%n", maxErr, maxRef);
            assertTrue(maxErr <= 1e-4 * maxRef + 1e-5, "VAEEncode vs vae_mean: max abs error " + maxErr);
        }
    }

    @Test
    void encode_isDeterministic() {
        ImageBatch pixels = noise(1, 64, 64, 3);
        assertEquals(encode(pixels), encode(pixels));
    }
}
