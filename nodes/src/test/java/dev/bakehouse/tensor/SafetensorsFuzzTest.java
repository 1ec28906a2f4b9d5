package dev.bakehouse.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bakehouse.testing.ScratchDirs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand damaged files, each of which must either load (and then read every tensor) or fail
 * with {@link TensorFileException}; any other exception, a hang or an OOM fails the test.
 */
class SafetensorsFuzzTest {

    private static final int CASES = 10_000;

    @TempDir
    Path dir;

    @Test
    void mutatedFiles_loadOrFailWithOurErrorOnly() throws Exception {
        byte[] valid = validFile();
        Random rnd = new Random(20261122L);
        Path scratch = ScratchDirs.memoryBacked(dir);
        try {
            run(valid, rnd, scratch.resolve("fuzz.safetensors"));
        } finally {
            ScratchDirs.delete(scratch);
        }
    }

    private static void run(byte[] valid, Random rnd, Path f) throws Exception {
        int loaded = 0;
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] mutated = mutate(valid, rnd, i % 8);
            Files.write(f, mutated);
            try (SafetensorsFile sf = SafetensorsFile.open(f)) {
                for (String name : sf.names()) {
                    TensorInfo t = sf.info(name);
                    sf.readBytes(name);
                    sf.readFloats(name);
                    if (!t.dtype().isFloatingPoint()) {
                        sf.readLongs(name);
                    }
                }
                loaded++;
            } catch (TensorFileException expected) {
                assertTrue(expected.getMessage().startsWith(f.toString()), expected.getMessage());
                refused++;
            } catch (Exception | Error other) {
                throw new AssertionError("case " + i + " (kind " + (i % 8) + ") threw " + other
                        + " for bytes " + Arrays.toString(Arrays.copyOf(mutated, Math.min(mutated.length, 200))), other);
            }
        }
        assertEquals(CASES, loaded + refused);
        assertTrue(refused > CASES / 2, "most mutations must be refused, refused " + refused);
        assertTrue(loaded > 0, "some mutations (e.g. metadata text) still load");
    }

    private static byte[] validFile() throws Exception {
        Path tmp = Files.createTempFile("fuzz-base", ".safetensors");
        try {
            new SafetensorsWriter()
                    .metadata("ss_network_dim", "4")
                    .addFloats("a.weight", DType.F16, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                    .addFloats("b.alpha", DType.F32, new long[] {}, new float[] {2})
                    .addLongs("c.ids", DType.I64, new long[] {3}, new long[] {0, 1, 2})
                    .addFloats("d.bf", DType.BF16, new long[] {2}, new float[] {1, -1})
                    .write(tmp);
            return Files.readAllBytes(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    private static byte[] mutate(byte[] valid, Random rnd, int kind) {
        byte[] b = valid.clone();
        int headerLen = (int) ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        switch (kind) {
            case 0 -> { // flip a few random bytes anywhere
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
            }
            case 1 -> b = Arrays.copyOf(b, rnd.nextInt(b.length)); // truncation
            case 2 -> { // header length games
                long n = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextLong();
                    case 1 -> headerLen + rnd.nextInt(33) - 16;
                    case 2 -> SafetensorsHeader.MAX_HEADER_BYTES + rnd.nextInt(3) - 1;
                    default -> rnd.nextInt(b.length + 16);
                };
                ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(n);
            }
            case 3 -> b = withNumbersChanged(b, headerLen, rnd); // offset and shape games
            case 4 -> { // random printable bytes inside the JSON
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    b[8 + rnd.nextInt(headerLen)] = (byte) (32 + rnd.nextInt(95));
                }
            }
            case 5 -> { // entirely random file
                b = new byte[rnd.nextInt(200)];
                rnd.nextBytes(b);
            }
            case 6 -> b = withTokenReplaced(b, headerLen, rnd); // structural JSON replacements
            default -> { // extra or missing data bytes at the end
                b = Arrays.copyOf(b, Math.max(0, b.length + rnd.nextInt(17) - 8));
            }
        }
        return b;
    }

    /** Rewrites one number of the header (offset or dimension) to a nearby or extreme value. */
    private static byte[] withNumbersChanged(byte[] b, int headerLen, Random rnd) {
        String json = new String(b, 8, headerLen, StandardCharsets.UTF_8);
        var m = java.util.regex.Pattern.compile("\\d+").matcher(json);
        java.util.List<int[]> spans = new java.util.ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        int[] s = spans.get(rnd.nextInt(spans.size()));
        long old = Long.parseLong(json.substring(s[0], s[1]));
        String replacement = switch (rnd.nextInt(5)) {
            case 0 -> Long.toString(old + rnd.nextInt(9) - 4);
            case 1 -> Long.toString(Long.MAX_VALUE - rnd.nextInt(3));
            case 2 -> "-" + old;
            case 3 -> "1e" + rnd.nextInt(30);
            default -> "99999999999999999999999";
        };
        return rebuild(b, headerLen, json.substring(0, s[0]) + replacement + json.substring(s[1]));
    }

    private static byte[] withTokenReplaced(byte[] b, int headerLen, Random rnd) {
        String json = new String(b, 8, headerLen, StandardCharsets.UTF_8);
        String[][] swaps = {
            {"\"F16\"", "\"Q16\""}, {"\"F16\"", "\"F32\""}, {"\"I64\"", "\"U8\""}, {"\"shape\"", "\"shap\""},
            {"[2,3]", "[3,2,1]"}, {"[2,3]", "[]"}, {"\"b.alpha\"", "\"a.weight\""}, {"{", "["},
            {"\"ss_network_dim\":\"4\"", "\"ss_network_dim\":4"}, {"\"dtype\":\"F32\"", "\"dtype\":null"},
            {"\"__metadata__\"", "\"__meta__\""}, {"}", "}}"}, {",", ""}, {"\"", "'"},
            {"\"data_offsets\":[0", "\"data_offsets\":[0,0"}, {"[3]", "[[3]]"},
        };
        String[] swap = swaps[rnd.nextInt(swaps.length)];
        int at = json.indexOf(swap[0]);
        if (at < 0) {
            return b;
        }
        return rebuild(b, headerLen, json.substring(0, at) + swap[1] + json.substring(at + swap[0].length()));
    }

    private static byte[] rebuild(byte[] b, int headerLen, String json) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[8 + h.length + b.length - 8 - headerLen];
        ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
        System.arraycopy(h, 0, out, 8, h.length);
        System.arraycopy(b, 8 + headerLen, out, 8 + h.length, b.length - 8 - headerLen);
        return out;
    }
}
