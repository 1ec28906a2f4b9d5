package dev.bakehouse.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.FloatFormats;
import dev.bakehouse.tensor.SafetensorsWriter;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.testing.CkptWriter;
import dev.bakehouse.testing.EmbeddingFiles;
import dev.bakehouse.testing.PickleBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each embedding file layout ComfyUI's {@code load_embed} reads, and the files it must refuse. */
class TextualInversionReaderTest {
    @TempDir
    Path dir;

    private final Random rnd = new Random(7);

    private float[] values(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    @Test
    void safetensorsEmbParams_givesOneVectorPerRow() throws Exception {
        float[] v = values(3 * 32);
        Path f = EmbeddingFiles.safetensors(dir.resolve("x.safetensors"), "emb_params", new long[] {3, 32}, v);
        TextualInversion e = TextualInversionReader.read(f);
        assertEquals(3, e.count());
        assertEquals(32, e.width());
        assertEquals("emb_params", e.tensor());
        assertArrayEquals(v, e.vectors());
    }

    @Test
    void oneDimensionalTensor_isOneVector() throws Exception {
        float[] v = values(32);
        TextualInversion e = TextualInversionReader.read(
                EmbeddingFiles.safetensors(dir.resolve("x.safetensors"), "emb_params", new long[] {32}, v));
        assertEquals(1, e.count());
        assertArrayEquals(v, e.vector(0));
    }

    @Test
    void sdxlStyleFile_givesTheClipLVectors() throws Exception {
        float[] g = values(2 * 48);
        float[] l = values(2 * 32);
        Path f = EmbeddingFiles.safetensors(dir.resolve("xl.safetensors"), new String[] {"clip_g", "clip_l"},
                new long[][] {{2, 48}, {2, 32}}, new float[][] {g, l});
        TextualInversion e = TextualInversionReader.read(f);
        assertEquals("clip_l", e.tensor());
        assertArrayEquals(l, e.vectors());
    }

    @Test
    void ptFiles_a1111StringToParamAndPlainEmbParams_giveTheirVectors() throws Exception {
        float[] a1111 = values(4 * 32);
        TextualInversion e = TextualInversionReader.read(EmbeddingFiles.a1111Pt(dir.resolve("x.pt"), new long[] {4, 32}, a1111));
        assertEquals("string_to_param.*", e.tensor());
        assertEquals(4, e.count());
        assertArrayEquals(a1111, e.vectors());

        float[] plain = values(2 * 32);
        e = TextualInversionReader.read(EmbeddingFiles.embParamsPt(dir.resolve("x.bin"), new long[] {2, 32}, plain));
        assertEquals("emb_params", e.tensor());
        assertArrayEquals(plain, e.vectors());
    }

    @Test
    void formatIsToldByContent_notByExtension() throws Exception {
        float[] v = values(32);
        Path pt = EmbeddingFiles.a1111Pt(dir.resolve("named-like.safetensors"), new long[] {1, 32}, v);
        assertArrayEquals(v, TextualInversionReader.read(pt).vectors());
    }

    @Test
    void loraWithBundledEmbeddings_concatenatesThem() throws Exception {
        float[] a = values(2 * 32);
        float[] b = values(32);
        float[] w = values(4 * 4);
        Path f = EmbeddingFiles.safetensors(dir.resolve("bundle.safetensors"),
                new String[] {"bundle_emb.a.string_to_param.*", "bundle_emb.b.string_to_param.*", "lora_te_x.lora_down.weight"},
                new long[][] {{2, 32}, {1, 32}, {4, 4}}, new float[][] {a, b, w});
        TextualInversion e = TextualInversionReader.read(f);
        assertEquals(3, e.count());
        assertArrayEquals(a, java.util.Arrays.copyOf(e.vectors(), 64));
        assertArrayEquals(b, e.vector(2));
    }

    @Test
    void halfPrecisionFile_isWidenedExactly() throws Exception {
        float[] v = values(2 * 32);
        float[] rounded = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            rounded[i] = FloatFormats.f16ToFloat(FloatFormats.floatToF16(v[i]));
        }
        Path f = dir.resolve("half.safetensors");
        new SafetensorsWriter().addFloats("emb_params", DType.F16, new long[] {2, 32}, v).write(f);
        assertArrayEquals(rounded, TextualInversionReader.read(f).vectors());
    }

    @Test
    void integerOrRank3Tensor_errorNamesFileTensorAndShape() throws Exception {
        Path ints = dir.resolve("ints.safetensors");
        new SafetensorsWriter().addLongs("emb_params", DType.I64, new long[] {2}, new long[] {1, 2}).write(ints);
        TensorFileException e = assertThrows(TensorFileException.class, () -> TextualInversionReader.read(ints));
        assertTrue(e.getMessage().contains("ints.safetensors") && e.getMessage().contains("emb_params")
                && e.getMessage().contains("I64 [2]"), e.getMessage());

        Path cube = EmbeddingFiles.safetensors(dir.resolve("cube.safetensors"), "emb_params", new long[] {1, 2, 32}, values(64));
        e = assertThrows(TensorFileException.class, () -> TextualInversionReader.read(cube));
        assertTrue(e.getMessage().contains("[1, 2, 32]"), e.getMessage());
    }

    @Test
    void fileWithoutTensors_errorSaysWhatWasExpected() throws Exception {
        Path empty = dir.resolve("empty.safetensors");
        new SafetensorsWriter().metadata("name", "x").write(empty);
        TensorFileException e = assertThrows(TensorFileException.class, () -> TextualInversionReader.read(empty));
        assertTrue(e.getMessage().contains("empty.safetensors") && e.getMessage().contains("emb_params"), e.getMessage());
    }

    @Test
    void pickleThatCallsCode_isRefusedBeforeAnythingRuns() throws Exception {
        byte[] pickle = new PickleBuilder().proto(2).global("os", "system").mark().str("touch pwned").tuple()
                .reduce().stop().toBytes();
        Path f = dir.resolve("evil.pt");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            CkptWriter.entry(zip, "archive/data.pkl", pickle, false);
        }
        TensorFileException e = assertThrows(TensorFileException.class, () -> TextualInversionReader.read(f));
        assertTrue(e.getMessage().contains("os.system") && e.getMessage().contains("evil.pt"), e.getMessage());
    }
}
