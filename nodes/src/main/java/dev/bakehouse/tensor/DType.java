package dev.bakehouse.tensor;

import java.util.Optional;

/**
 * Element types of tensor files, named as safetensors names them in its header.
 *
 * <p>{@code F8_E4M3} and {@code F8_E5M2} are the fp8 variants SDXL "fp8" checkpoints use; like
 * {@code BF16} they are only ever widened to float on the Java side (a DJL bf16 tensor aborts the JVM).
 */
public enum DType {
    F64(8, Kind.FLOAT),
    F32(4, Kind.FLOAT),
    F16(2, Kind.FLOAT),
    BF16(2, Kind.FLOAT),
    F8_E4M3(1, Kind.FLOAT),
    F8_E5M2(1, Kind.FLOAT),
    I64(8, Kind.SIGNED),
    I32(4, Kind.SIGNED),
    I16(2, Kind.SIGNED),
    I8(1, Kind.SIGNED),
    U64(8, Kind.UNSIGNED),
    U32(4, Kind.UNSIGNED),
    U16(2, Kind.UNSIGNED),
    U8(1, Kind.UNSIGNED),
    BOOL(1, Kind.BOOL);

    /** How the bytes of one element are to be understood. */
    public enum Kind { FLOAT, SIGNED, UNSIGNED, BOOL }

    private final int size;
    private final Kind kind;

    DType(int size, Kind kind) {
        this.size = size;
        this.kind = kind;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isFloatingPoint() {
        return kind == Kind.FLOAT;
    }

    /**
     * Position in the reference implementation's dtype order (BOOL, U8, I8, F8_E5M2, F8_E4M3, I16,
     * U16, F16, BF16, I32, U32, F32, F64, I64, U64). Writers lay tensors out by this rank
     * descending, then by name, as the reference does, so our files match its bytes.
     */
    public int writeOrderRank() {
        return switch (this) {
            case BOOL -> 0;
            case U8 -> 1;
            case I8 -> 2;
            case F8_E5M2 -> 3;
            case F8_E4M3 -> 4;
            case I16 -> 5;
            case U16 -> 6;
            case F16 -> 7;
            case BF16 -> 8;
            case I32 -> 9;
            case U32 -> 10;
            case F32 -> 11;
            case F64 -> 12;
            case I64 -> 13;
            case U64 -> 14;
        };
    }

    /** The safetensors header spelling ({@code "F16"}, {@code "BOOL"}, ...). */
    public String safetensorsName() {
        return name();
    }

    /** The dtype a safetensors header names, or empty for a name we do not know. */
    public static Optional<DType> fromSafetensorsName(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
