package dev.bakehouse.model.sampling;

import java.math.BigInteger;

/**
 * A ComfyUI seed: an unsigned 64-bit integer (0 .. 18446744073709551615). It reaches libtorch's
 * {@code manual_seed(uint64_t)} bit for bit, so {@link #bits()} holds the same 64 bits in a Java
 * {@code long} (seeds above {@link Long#MAX_VALUE} are negative longs).
 */
public record Seed(long bits) {
    public static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** A seed from a JSON/widget number; rejects values outside 0 .. 2^64-1. */
    public static Seed of(BigInteger value) {
        if (value.signum() < 0 || value.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("seed must be between 0 and " + MAX + ", found " + value);
        }
        return new Seed(value.longValue());
    }

    /** A non-negative seed that fits a long. */
    public static Seed of(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("seed must be between 0 and " + MAX + ", found " + value
                    + " (use Seed.of(BigInteger) or Seed.parse for seeds above " + Long.MAX_VALUE + ")");
        }
        return new Seed(value);
    }

    /** Decimal text, as ComfyUI shows it. */
    public static Seed parse(String text) {
        try {
            return of(new BigInteger(text.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed must be an integer between 0 and " + MAX + ", found '" + text + "'", e);
        }
    }

    /** The seed as an unsigned number. */
    public BigInteger value() {
        return new BigInteger(Long.toUnsignedString(bits));
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(bits);
    }
}
