package dev.bakehouse.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;

/**
 * Exact JSON integers of any size. Jackson's parser reads an integer into an int, long or
 * {@link BigInteger} node by its size; building nodes the same way keeps trees we write
 * ({@code /object_info}, coerced prompts) equal to the same text parsed back, and a value such as
 * 18446744073709551615 stays an exact number, never a double or a string.
 */
public final class JsonIntegers {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private JsonIntegers() {}

    /** The smallest of Jackson's integer nodes that holds {@code value} exactly. */
    public static JsonNode of(BigInteger value) {
        if (value.bitLength() < 32) {
            return JSON.numberNode(value.intValue());
        }
        if (value.bitLength() < 64) {
            return JSON.numberNode(value.longValue());
        }
        return JSON.numberNode(value);
    }

    /** An int node when {@code value} fits in an int, else a long node. */
    public static JsonNode of(long value) {
        return value == (int) value ? JSON.numberNode((int) value) : JSON.numberNode(value);
    }
}
