package dev.bakehouse.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of malformed header is refused with a message naming the tensor and the problem. */
class SafetensorsValidationTest {

    @TempDir
    Path dir;

    @Test
    void overlappingTensors() throws Exception {
        refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "'b'", "overlaps");
    }

    @Test
    void gapBetweenTensors() throws Exception {
        refused("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12, "'b'", "gap");
    }

    @Test
    void byteLengthNotShapeTimesDtype() throws Exception {
        refused("{\"w\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "'w'", "does not match shape [3] x F16");
    }

    @Test
    void offsetsPastTheEndOfTheFile() throws Exception {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8, "'w'", "truncated");
    }

    @Test
    void unknownDtype() throws Exception {
        refused("{\"w\":{\"dtype\":\"F12\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "'w'", "unknown dtype 'F12'");
    }

    @Test
    void duplicateNames() throws Exception {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "Duplicate field 'w'", "not valid JSON");
    }

    @Test
    void nonStringMetadata() throws Exception {
        refused("{\"__metadata__\":{\"ss_network_dim\":4}}", 0, "ss_network_dim", "must be a string");
    }

    @Test
    void extraFieldInATensorEntry() throws Exception {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"stride\":[1]}}", 4, "'w'", "unexpected field 'stride'");
    }

    @Test
    void headerLengthBeyondTheLimit() throws Exception {
        Path f = dir.resolve("huge-header.safetensors");
        Files.write(f, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(200_000_000L).array());
        TensorFileException e = assertThrows(TensorFileException.class, () -> SafetensorsFile.open(f));
        assertTrue(e.getMessage().contains("header length 200000000 is outside"), e.getMessage());
    }

    @Test
    void negativeDimension() throws Exception {
        refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "'w'", "shape[0] must be a non-negative integer");
    }

    private void refused(String json, int dataBytes, String names, String problem) throws Exception {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, b.array());
        TensorFileException e = assertThrows(TensorFileException.class, () -> SafetensorsFile.open(f));
        assertTrue(e.getMessage().contains(names) && e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
    }
}
