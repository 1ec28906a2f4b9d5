package dev.bakehouse.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeInputsTest {
    private final NodeInputs inputs = new NodeInputs("KSampler #3",
            Map.of("steps", 20L, "cfg", 7.5, "name", "euler", "flag", true, "big", 5_000_000_000L,
                    "list", List.of(1L, 2L)));

    @Test
    void typedGetters_returnTheValues() {
        assertEquals(20, inputs.getInt("steps"));
        assertEquals(7.5, inputs.getDouble("cfg"));
        assertEquals(7.5f, inputs.getFloat("cfg"));
        assertEquals("euler", inputs.getString("name"));
        assertTrue(inputs.getBoolean("flag"));
        assertEquals(List.of(1L, 2L), inputs.getList("list", Long.class));
        assertEquals(Optional.empty(), inputs.optional("absent", String.class));
    }

    @Test
    void missingInput_failsNamingNodeAndInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inputs.getLong("seed"));
        assertEquals("KSampler #3: input 'seed' is missing", e.getMessage());
    }

    @Test
    void wrongType_failsWithExpectedAndFound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inputs.getString("steps"));
        assertEquals("KSampler #3: input 'steps' should be String but is Long 20", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> inputs.getList("list", String.class));
    }

    @Test
    void getInt_beyondIntRange_fails() {
        assertThrows(IllegalArgumentException.class, () -> inputs.getInt("big"));
    }

    @Test
    void integersBeyondTheLongRange_areExactAsBigIntegerAndSeed() {
        BigInteger max = new BigInteger("18446744073709551615");
        BigInteger aboveLong = new BigInteger("9223372036854775813");
        NodeInputs seeds = new NodeInputs("KSampler #3",
                Map.of("max", max, "aboveLong", aboveLong, "small", 42L, "negative", -1L, "cfg", 7.5,
                        "tooBig", max.add(BigInteger.ONE)));

        assertEquals(max, seeds.getBigInteger("max"));
        assertEquals(BigInteger.valueOf(42), seeds.getBigInteger("small"));
        assertEquals(-1L, seeds.getSeed("max").bits(), "2^64-1 is all 64 bits set");
        assertEquals(Long.MIN_VALUE + 5, seeds.getSeed("aboveLong").bits());
        assertEquals(aboveLong, seeds.getSeed("aboveLong").value());
        assertEquals(42L, seeds.getSeed("small").bits());

        IllegalArgumentException wraps = assertThrows(IllegalArgumentException.class, () -> seeds.getLong("max"));
        assertEquals("KSampler #3: input 'max' = 18446744073709551615 does not fit in a 64-bit signed integer",
                wraps.getMessage());
        assertThrows(IllegalArgumentException.class, () -> seeds.getInt("aboveLong"));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> seeds.getSeed("negative"));
        assertEquals("KSampler #3: input 'negative': seed must be between 0 and 18446744073709551615, found -1",
                negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> seeds.getSeed("tooBig"));
        assertEquals("KSampler #3: input 'cfg' should be an integer but is Double 7.5",
                assertThrows(IllegalArgumentException.class, () -> seeds.getBigInteger("cfg")).getMessage());
    }

    @Test
    void imageBatch_lengthMismatch_isRejectedWithShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageBatch(2, 2, 2, 3, new float[23]));
        assertTrue(e.getMessage().contains("24") && e.getMessage().contains("23"), e.getMessage());
    }

    @Test
    void imageBatch_indexingIsBatchRowColumnChannel() {
        float[] pixels = new float[2 * 2 * 3 * 3];
        pixels[((1 * 2 + 1) * 3 + 2) * 3 + 1] = 0.5f;
        ImageBatch batch = new ImageBatch(2, 2, 3, 3, pixels);
        assertEquals(0.5f, batch.get(1, 1, 2, 1));
        assertEquals(0.5f, batch.image(1).get(0, 1, 2, 1));
    }
}
