package dev.bakehouse.tensor.ckpt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.tensor.DType;
import dev.bakehouse.tensor.ElementCodec;
import dev.bakehouse.tensor.FloatFormats;
import dev.bakehouse.tensor.TensorFileException;
import dev.bakehouse.testing.CkptWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CkptFileTest {

    @TempDir
    Path dir;

    private final Random rnd = new Random(42);

    /** Two tensors in two storages, written STORED as torch.save does; returns the file. */
    private Path twoStorageZip() throws Exception {
        Path f = dir.resolve("crc.ckpt");
        new CkptWriter().nestInStateDict()
                .tensor("a", DType.F32, new long[] {4}, floatBytes(1, 2, 3, 4))
                .tensor("b", DType.F32, new long[] {2}, floatBytes(5, 6))
                .writeZip(f, false);
        return f;
    }

    private static ZipDirectory.Entry entry(Path f, String suffix) throws Exception {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
            return ZipDirectory.read(f, ch).entries().values().stream()
                    .filter(e -> e.name().endsWith(suffix)).findFirst().orElseThrow();
        }
    }

    private static void flipByte(Path f, long offset) throws Exception {
        byte[] bytes = Files.readAllBytes(f);
        bytes[(int) offset] ^= 0x10;
        Files.write(f, bytes);
    }

    @Test
    void zipWithABitRottedStorage_failsWhenReadNamingTheEntry_otherStoragesStillLoad() throws Exception {
        Path f = twoStorageZip();
        ZipDirectory.Entry storageOfA = entryHolding(f, floatBytes(1, 2, 3, 4));
        flipByte(f, storageOfA.dataOffset() + 5);
        try (CkptFile c = CkptFile.open(f)) {
            TensorFileException e = assertThrows(TensorFileException.class, () -> c.readFloats("a"));
            assertTrue(e.getMessage().contains("zip entry '" + storageOfA.name() + "' is corrupt"), e.getMessage());
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
            assertArrayEquals(new float[] {5, 6}, c.readFloats("b"));
        }
    }

    @Test
    void zipWithABitRottedPickle_isRefusedAtOpen() throws Exception {
        Path f = twoStorageZip();
        ZipDirectory.Entry pickle = entry(f, "data.pkl");
        flipByte(f, pickle.dataOffset() + pickle.size() / 2);
        TensorFileException e = assertThrows(TensorFileException.class, () -> CkptFile.open(f));
        assertTrue(e.getMessage().contains("zip entry '" + pickle.name() + "' is corrupt"), e.getMessage());
    }

    /** torch.serialization.set_crc32_options(False) writes 0 for every CRC; torch.load reads such files. */
    @Test
    void zipWrittenWithoutCrcs_loads() throws Exception {
        Path f = twoStorageZip();
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int zeroed = 0;
        for (int i = 0; i + 46 <= bytes.length; i++) {
            if (buf.getInt(i) == 0x02014b50) { // central directory header: CRC-32 at +16
                buf.putInt(i + 16, 0);
                zeroed++;
            }
        }
        assertTrue(zeroed >= 3, "central directory headers found: " + zeroed);
        Files.write(f, bytes);
        try (CkptFile c = CkptFile.open(f)) {
            assertArrayEquals(new float[] {1, 2, 3, 4}, c.readFloats("a"));
            assertArrayEquals(new float[] {5, 6}, c.readFloats("b"));
        }
    }

    /** The storage entry whose bytes are {@code content}. */
    private static ZipDirectory.Entry entryHolding(Path f, byte[] content) throws Exception {
        byte[] bytes = Files.readAllBytes(f);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
            for (ZipDirectory.Entry e : ZipDirectory.read(f, ch).entries().values()) {
                if (e.size() == content.length && java.util.Arrays.equals(bytes, (int) e.dataOffset(),
                        (int) e.dataOffset() + content.length, content, 0, content.length)) {
                    return e;
                }
            }
        }
        throw new AssertionError("no entry holds the given bytes");
    }

    private static byte[] floatBytes(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    @Test
    void zipLayoutWithHalfStorages_loadsBitExact() throws Exception {
        byte[] w = halfBytes(6);
        byte[] b = halfBytes(3);
        byte[] ids = longBytes(0, 1, 2, 3, 4);
        CkptWriter ckpt = new CkptWriter()
                .scalar("global_step", 470_000)
                .scalar("epoch", 6)
                .nestInStateDict()
                .tensor("model.diffusion_model.out.2.weight", DType.F16, new long[] {2, 3}, w)
                .tensor("model.diffusion_model.out.2.bias", DType.F16, new long[] {3}, b)
                .tensor("cond_stage_model.transformer.text_model.embeddings.position_ids", DType.I64, new long[] {1, 5}, ids);
        Path f = dir.resolve("model.ckpt");
        ckpt.writeZip(f, false);

        try (CkptFile c = CkptFile.open(f)) {
            assertEquals(List.of("cond_stage_model.transformer.text_model.embeddings.position_ids",
                    "model.diffusion_model.out.2.bias", "model.diffusion_model.out.2.weight"), c.names());
            assertEquals(DType.F16, c.info("model.diffusion_model.out.2.weight").dtype());
            assertArrayEquals(new long[] {2, 3}, c.info("model.diffusion_model.out.2.weight").shape());
            assertTrue(c.info("model.diffusion_model.out.2.weight").offset() > 0, "stored entries are mapped in place");
            assertArrayEquals(w, c.readBytes("model.diffusion_model.out.2.weight"));
            assertArrayEquals(b, c.readBytes("model.diffusion_model.out.2.bias"));
            assertArrayEquals(new long[] {0, 1, 2, 3, 4}, c.readLongs("cond_stage_model.transformer.text_model.embeddings.position_ids"));
            float[] widened = c.readFloats("model.diffusion_model.out.2.weight");
            ByteBuffer raw = ByteBuffer.wrap(w).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 6; i++) {
                assertEquals(FloatFormats.f16ToFloat(raw.getShort(2 * i)), widened[i]);
            }
            assertEquals(Map.of("global_step", "470000", "epoch", "6"), c.metadata());
        }
    }

    @Test
    void stridedAndOffsetViews_areGatheredRowMajor() throws Exception {
        float[] base = {0, 1, 2, 3, 4, 5};
        byte[] data = ElementCodec.encodeFloats(DType.F32, base).array();
        Path f = dir.resolve("views.ckpt");
        new CkptWriter()
                .tensor("a", DType.F32, new long[] {2, 3}, data)
                .view("aT", "a", 0, new long[] {3, 2}, new long[] {1, 3})
                .view("row1", "a", 3, new long[] {3}, new long[] {1})
                .writeZip(f, false);
        try (CkptFile c = CkptFile.open(f)) {
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, c.readFloats("aT"));
            assertEquals(-1, c.info("aT").offset(), "a strided view has no single file range");
            assertArrayEquals(new float[] {3, 4, 5}, c.readFloats("row1"));
        }
    }

    @Test
    void deflatedZipAndLegacyStream_loadTheSameTensors() throws Exception {
        byte[] w = halfBytes(8);
        CkptWriter ckpt = new CkptWriter().tensor("x.weight", DType.F16, new long[] {2, 4}, w)
                .tensor("x.bias", DType.F32, new long[] {2}, ElementCodec.encodeFloats(DType.F32, new float[] {1.5f, -2f}).array());
        Path zipped = dir.resolve("deflated.ckpt");
        Path legacy = dir.resolve("legacy.pt");
        ckpt.writeZip(zipped, true);
        ckpt.writeLegacy(legacy);
        for (Path f : List.of(zipped, legacy)) {
            try (CkptFile c = CkptFile.open(f)) {
                assertArrayEquals(w, c.readBytes("x.weight"), f.toString());
                assertArrayEquals(new float[] {1.5f, -2f}, c.readFloats("x.bias"), f.toString());
            }
        }
    }

    @Test
    void legacyStreamWhosePickleExceedsTheFirstReadWindow_loads() throws Exception {
        CkptWriter ckpt = new CkptWriter();
        String pad = "x".repeat(300);
        for (int i = 0; i < 4000; i++) { // ~1.3 MB of pickle, more than the 1 MiB first window
            ckpt.tensor("model.layer" + i + "." + pad, DType.F32, new long[] {1},
                    ElementCodec.encodeFloats(DType.F32, new float[] {i}).array());
        }
        Path f = dir.resolve("big-legacy.pt");
        ckpt.writeLegacy(f);
        try (CkptFile c = CkptFile.open(f)) {
            assertEquals(4000, c.names().size());
            assertArrayEquals(new float[] {3999}, c.readFloats("model.layer3999." + pad));
        }
    }

    @Test
    void tensorReachingPastItsStorage_isRefusedNamingTheKey() throws Exception {
        Path f = dir.resolve("bad.ckpt");
        new CkptWriter().tensor("a", DType.F32, new long[] {2}, new byte[8])
                .view("tooLong", "a", 1, new long[] {4}, new long[] {1})
                .writeZip(f, false);
        TensorFileException e = assertThrows(TensorFileException.class, () -> CkptFile.open(f));
        assertTrue(e.getMessage().contains("'tooLong'") && e.getMessage().contains("holds 2"), e.getMessage());
    }

    @Test
    void notACheckpoint_isRefusedClearly() throws Exception {
        Path f = dir.resolve("junk.ckpt");
        Files.writeString(f, "hello");
        TensorFileException e = assertThrows(TensorFileException.class, () -> CkptFile.open(f));
        assertTrue(e.getMessage().contains("not a PyTorch checkpoint"), e.getMessage());
    }

    private byte[] halfBytes(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return ElementCodec.encodeFloats(DType.F16, v).array();
    }

    private static byte[] longBytes(long... v) {
        return ElementCodec.encodeLongs(DType.I64, v).array();
    }
}
