package dev.bakehouse.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file past the 2 GB mark, written sparse so it costs neither disk nor time. */
class SafetensorsLargeFileTest {

    private static final long PAD = (1L << 31) + 12; // the tail tensor starts beyond 2^31

    @TempDir
    Path dir;

    @Test
    void tensorPastTwoGigabytes_isReadAtItsLongOffset() throws Exception {
        Path f = dir.resolve("big.safetensors");
        String json = "{\"__metadata__\":{\"note\":\"sparse\"},"
                + "\"pad\":{\"dtype\":\"U8\",\"shape\":[" + PAD + "],\"data_offsets\":[0," + PAD + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[" + PAD + "," + (PAD + 16) + "]}}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + header.length;
        float[] tail = {1.5f, -2f, 3.25f, 1e-3f};
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(dataStart + PAD + 16);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            raf.write(header);
            raf.seek(dataStart + PAD);
            ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(tail);
            raf.write(b.array());
        }
        try (SafetensorsFile sf = SafetensorsFile.open(f)) {
            TensorInfo t = sf.info("tail");
            assertTrue(t.offset() > Integer.MAX_VALUE, "offset " + t.offset());
            assertArrayEquals(tail, sf.readFloats("tail"));
            assertEquals(1.5f, sf.view("tail").getFloat(0));
            assertEquals(PAD, sf.info("pad").numel());
            TensorFileException e = assertThrows(TensorFileException.class, () -> sf.view("pad"));
            assertTrue(e.getMessage().contains("'pad'") && e.getMessage().contains("2 GB"), e.getMessage());
            assertEquals("sparse", sf.metadata().get("note"));
        }
    }
}
