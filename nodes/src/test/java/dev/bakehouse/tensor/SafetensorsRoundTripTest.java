package dev.bakehouse.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void everyDtype_rawBytesRoundTripExactly() throws Exception {
        Random rnd = new Random(7);
        SafetensorsWriter w = new SafetensorsWriter();
        Map<DType, byte[]> written = new java.util.EnumMap<>(DType.class);
        for (DType d : DType.values()) {
            long[] shape = {3, 5};
            byte[] bytes = new byte[15 * d.size()];
            rnd.nextBytes(bytes);
            if (d == DType.BOOL) {
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) (bytes[i] & 1);
                }
            }
            written.put(d, bytes);
            w.add("t." + d.name(), d, shape, ByteBuffer.wrap(bytes));
        }
        w.metadata("format", "pt").metadata("ss_network_dim", "4");
        Path f = dir.resolve("all.safetensors");
        w.write(f);

        assertEquals(0, (Files.size(f) - 8 - dataLength(written)) % 8, "header padded to 8 bytes");
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(DType.values().length, sf.names().size());
            assertEquals(Map.of("format", "pt", "ss_network_dim", "4"), sf.metadata());
            assertEquals(0, sf.dataStart() % 8);
            for (DType d : DType.values()) {
                TensorInfo t = sf.info("t." + d.name());
                assertEquals(d, t.dtype());
                assertArrayEquals(new long[] {3, 5}, t.shape());
                assertArrayEquals(written.get(d), sf.readBytes(t.name()), d.name());
            }
        }
    }

    @Test
    void floats_widenAndRoundAsDocumented() throws Exception {
        float[] values = {0f, -0f, 1f, -2.5f, 0.1f, 65504f, 1e-7f, 3.14159f, 448f, -1e30f};
        SafetensorsWriter w = new SafetensorsWriter();
        for (DType d : List.of(DType.F64, DType.F32, DType.F16, DType.BF16, DType.F8_E4M3, DType.F8_E5M2)) {
            w.addFloats(d.name(), d, new long[] {values.length}, values);
        }
        Path f = dir.resolve("floats.safetensors");
        w.write(f);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertArrayEquals(values, sf.readFloats("F32"));
            assertArrayEquals(values, sf.readFloats("F64"));
            float[] half = sf.readFloats("F16");
            float[] bf = sf.readFloats("BF16");
            for (int i = 0; i < values.length; i++) {
                assertEquals(FloatFormats.f16ToFloat(FloatFormats.floatToF16(values[i])), half[i]);
                assertEquals(FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(values[i])), bf[i]);
            }
            assertEquals(65504f, half[5]);
            assertEquals(Float.NEGATIVE_INFINITY, half[9], "F16 overflow -> -inf");
            float[] e4 = sf.readFloats("F8_E4M3");
            assertEquals(448f, e4[8]);
            assertTrue(Float.isNaN(e4[9]), "e4m3fn has no infinity: overflow is NaN");
            assertEquals(-2.5f, sf.readFloats("F8_E5M2")[3]);
        }
    }

    @Test
    void readFloatsIntoBuffer_equalsReadFloatsForEveryFloatDtype_acrossDecodeChunks() throws Exception {
        Random rnd = new Random(11);
        float[] values = new float[(3 << 20) + 5]; // F16 and wider cross the 4 MiB decode chunk
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) rnd.nextGaussian();
        }
        List<DType> dtypes = List.of(DType.F64, DType.F32, DType.F16, DType.BF16, DType.F8_E4M3);
        SafetensorsWriter w = new SafetensorsWriter();
        for (DType d : dtypes) {
            w.addFloats(d.name(), d, new long[] {values.length}, values);
        }
        Path f = dir.resolve("big.safetensors");
        w.write(f);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            ByteBuffer into = ByteBuffer.allocateDirect(8 + values.length * 4);
            for (DType d : dtypes) {
                into.clear().position(8);
                sf.readFloats(d.name(), into);
                assertEquals(into.capacity(), into.position(), d.name() + ": position advanced past the values");
                float[] got = new float[values.length];
                into.position(8);
                into.slice().order(ByteOrder.nativeOrder()).asFloatBuffer().get(got);
                assertArrayEquals(sf.readFloats(d.name()), got, d.name());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sf.readFloats("F16", ByteBuffer.allocateDirect(16)));
            assertTrue(e.getMessage().contains("F16") && e.getMessage().contains("16 remaining"), e.getMessage());
        }
    }

    @Test
    void integers_readExactlyAsLongsAndAsFloats() throws Exception {
        long[] v = {0, 1, -1, 127, -128};
        SafetensorsWriter w = new SafetensorsWriter()
                .addLongs("i64", DType.I64, new long[] {5}, new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 76})
                .addLongs("i32", DType.I32, new long[] {5}, v)
                .addLongs("i16", DType.I16, new long[] {5}, v)
                .addLongs("i8", DType.I8, new long[] {5}, v)
                .addLongs("u8", DType.U8, new long[] {5}, new long[] {0, 1, 255, 128, 7})
                .addLongs("b", DType.BOOL, new long[] {5}, new long[] {0, 1, 1, 0, 1});
        Path f = dir.resolve("ints.safetensors");
        w.write(f);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 76}, sf.readLongs("i64"));
            assertArrayEquals(v, sf.readLongs("i32"));
            assertArrayEquals(v, sf.readLongs("i16"));
            assertArrayEquals(v, sf.readLongs("i8"));
            assertArrayEquals(new long[] {0, 1, 255, 128, 7}, sf.readLongs("u8"));
            assertArrayEquals(new float[] {0, 1, 255, 128, 7}, sf.readFloats("u8"));
            assertArrayEquals(new float[] {0, 1, 1, 0, 1}, sf.readFloats("b"));
            assertArrayEquals(new float[] {0, 1, -1, 127, -128}, sf.readFloats("i16"));
            TensorFileException e = assertThrows(TensorFileException.class, () -> sf.readLongs("nope"));
            assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        }
    }

    @Test
    void zeroDimAndEmptyTensors_roundTrip() throws Exception {
        Path f = dir.resolve("scalar.safetensors");
        new SafetensorsWriter()
                .addFloats("alpha", DType.F32, new long[] {}, new float[] {2f})
                .addFloats("empty", DType.F16, new long[] {0, 4}, new float[0])
                .write(f);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(0, sf.info("alpha").rank());
            assertArrayEquals(new float[] {2f}, sf.readFloats("alpha"));
            assertEquals(0, sf.readFloats("empty").length);
            assertTrue(sf.metadata().isEmpty());
        }
    }

    @Test
    void writer_replacesTargetAtomicallyAndLeavesNoTempFile() throws Exception {
        Path f = dir.resolve("x.safetensors");
        Files.writeString(f, "old");
        new SafetensorsWriter().addFloats("a", DType.F32, new long[] {1}, new float[] {1}).write(f);
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
        ByteBuffer len = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, len.getLong() % 8);
    }

    @Test
    void writer_matchesTheReferenceSerialisationByteForByte() throws Exception {
        // Test vectors of the reference implementation's own serialisation tests.
        Path f = dir.resolve("ref.safetensors");
        new SafetensorsWriter().addFloats("attn0", DType.F32, new long[] {1, 1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5}).write(f);
        byte[] expected = ("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] actual = Files.readAllBytes(f);
        assertEquals(72, ByteBuffer.wrap(actual).order(ByteOrder.LITTLE_ENDIAN).getLong());
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(actual, 8, 80));
        new SafetensorsWriter().metadata("framework", "pt").write(f);
        assertArrayEquals(("{\"__metadata__\":{\"framework\":\"pt\"}}     ").getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                java.util.Arrays.copyOfRange(Files.readAllBytes(f), 8, 48));
    }

    @Test
    void writer_laysOutWiderDtypesFirstThenByName() throws Exception {
        Path f = dir.resolve("order.safetensors");
        new SafetensorsWriter()
                .addFloats("a", DType.F16, new long[] {1}, new float[] {1})
                .addFloats("b", DType.F32, new long[] {1}, new float[] {1})
                .addLongs("c", DType.I64, new long[] {1}, new long[] {1})
                .addLongs("d", DType.BOOL, new long[] {1}, new long[] {1})
                .write(f);
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            assertEquals(List.of("c", "b", "a", "d"), sf.tensors().stream().map(TensorInfo::name).toList());
        }
    }

    private static long dataLength(Map<DType, byte[]> m) {
        return m.values().stream().mapToLong(b -> b.length).sum();
    }
}
