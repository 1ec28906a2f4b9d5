package dev.bakehouse.node;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The name of a socket or widget type as written in {@code /object_info} and in validation
 * errors ({@code "MODEL"}, {@code "IMAGE"}, {@code "INT"}, …).
 *
 * <p>Names may be comma-separated unions ({@code "IMAGE,MASK"}); {@code "*"} matches anything.
 * Values flowing along a socket are plain Java objects; the executor never looks inside them.
 *
 * @param name the type name exactly as the wire protocol spells it
 */
public record DataType(String name) {
    public static final DataType MODEL = new DataType("MODEL");
    public static final DataType CLIP = new DataType("CLIP");
    public static final DataType VAE = new DataType("VAE");
    public static final DataType LORA = new DataType("LORA");
    public static final DataType IMAGE = new DataType("IMAGE");
    public static final DataType MASK = new DataType("MASK");
    public static final DataType LATENT = new DataType("LATENT");
    public static final DataType CONDITIONING = new DataType("CONDITIONING");
    public static final DataType DATASET = new DataType("DATASET");
    public static final DataType BLOCK_WEIGHTS = new DataType("BLOCK_WEIGHTS");
    public static final DataType INT = new DataType("INT");
    public static final DataType FLOAT = new DataType("FLOAT");
    public static final DataType STRING = new DataType("STRING");
    public static final DataType BOOLEAN = new DataType("BOOLEAN");
    public static final DataType COMBO = new DataType("COMBO");
    /** Matches every type, on either side of a link. */
    public static final DataType ANY = new DataType("*");

    public DataType {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a data type name must not be blank");
        }
    }

    /**
     * Whether a value of type {@code received} (an upstream output) may feed an input of type
     * {@code expected}: equal names match; otherwise both are split on commas and match when the
     * sets intersect; {@code "*"} on either side matches anything (spec §6.8).
     */
    public static boolean compatible(String received, String expected) {
        if (received.equals(expected)) {
            return true;
        }
        Set<String> left = split(received);
        Set<String> right = split(expected);
        if (left.contains("*") || right.contains("*")) {
            return true;
        }
        return left.stream().anyMatch(right::contains);
    }

    /** {@link #compatible(String, String)} for two types. */
    public boolean accepts(DataType received) {
        return compatible(received.name, name);
    }

    private static Set<String> split(String union) {
        return Arrays.stream(union.split(",")).map(String::strip).collect(Collectors.toSet());
    }

    @Override
    public String toString() {
        return name;
    }
}
