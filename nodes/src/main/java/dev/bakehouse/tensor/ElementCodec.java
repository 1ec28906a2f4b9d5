package dev.bakehouse.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/**
 * Bulk conversion between little-endian tensor bytes and Java arrays, for every {@link DType}.
 * Narrow floats go through {@link FloatFormats}; the loops work on small scratch arrays so that
 * the hot path is a bulk buffer copy plus a table lookup.
 */
public final class ElementCodec {
    private ElementCodec() {}

    private static final int SCRATCH = 8192;

    /**
     * Decodes all remaining bytes of {@code src} (a whole number of elements) into {@code dst}
     * starting at {@code at}; returns the number of elements written.
     */
    public static int decodeFloats(DType dtype, ByteBuffer src, float[] dst, int at) {
        ByteBuffer b = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = b.remaining() / dtype.size();
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(dst, at, n);
            case F64 -> {
                var d = b.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    dst[at + i] = (float) d.get(i);
                }
            }
            case F16, BF16 -> decodeShorts(dtype, b.asShortBuffer(), dst, at, n);
            case F8_E4M3, F8_E5M2, I8, U8, BOOL -> decodeBytes(dtype, b, dst, at, n);
            case I16 -> {
                ShortBuffer s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    dst[at + i] = s.get(i);
                }
            }
            case U16 -> {
                ShortBuffer s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    dst[at + i] = s.get(i) & 0xffff;
                }
            }
            case I32 -> {
                var s = b.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    dst[at + i] = s.get(i);
                }
            }
            case U32 -> {
                var s = b.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    dst[at + i] = Integer.toUnsignedLong(s.get(i));
                }
            }
            case I64 -> {
                var s = b.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    dst[at + i] = s.get(i);
                }
            }
            case U64 -> {
                var s = b.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    dst[at + i] = unsignedToFloat(s.get(i));
                }
            }
        }
        return n;
    }

    /** Integer and BOOL elements as longs (see {@link #decodeFloats} for the contract). */
    public static int decodeLongs(DType dtype, ByteBuffer src, long[] dst, int at) {
        ByteBuffer b = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = b.remaining() / dtype.size();
        for (int i = 0; i < n; i++) {
            dst[at + i] = switch (dtype) {
                case I64, U64 -> b.getLong(i * 8);
                case I32 -> b.getInt(i * 4);
                case U32 -> Integer.toUnsignedLong(b.getInt(i * 4));
                case I16 -> b.getShort(i * 2);
                case U16 -> b.getShort(i * 2) & 0xffff;
                case I8 -> b.get(i);
                case U8 -> b.get(i) & 0xff;
                case BOOL -> b.get(i) != 0 ? 1 : 0;
                default -> throw new IllegalArgumentException(dtype + " is not an integer dtype");
            };
        }
        return n;
    }

    /** Encodes floats to {@code dtype} (floating point dtypes only), little-endian. */
    public static ByteBuffer encodeFloats(DType dtype, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, dtype.size())).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> b.asFloatBuffer().put(values);
            case F64 -> {
                var d = b.asDoubleBuffer();
                for (float v : values) {
                    d.put(v);
                }
            }
            case F16 -> {
                ShortBuffer s = b.asShortBuffer();
                for (float v : values) {
                    s.put(FloatFormats.floatToF16(v));
                }
            }
            case BF16 -> {
                ShortBuffer s = b.asShortBuffer();
                for (float v : values) {
                    s.put(FloatFormats.floatToBf16(v));
                }
            }
            case F8_E4M3 -> {
                for (int i = 0; i < values.length; i++) {
                    b.put(i, FloatFormats.floatToE4M3(values[i]));
                }
            }
            case F8_E5M2 -> {
                for (int i = 0; i < values.length; i++) {
                    b.put(i, FloatFormats.floatToE5M2(values[i]));
                }
            }
            default -> throw new IllegalArgumentException("encodeFloats needs a floating point dtype, got " + dtype);
        }
        return b.rewind();
    }

    /** Encodes integer values to an integer or BOOL dtype; values must fit (checked). */
    public static ByteBuffer encodeLongs(DType dtype, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, dtype.size())).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            checkFits(dtype, v, i);
            switch (dtype) {
                case I64, U64 -> b.putLong(i * 8, v);
                case I32, U32 -> b.putInt(i * 4, (int) v);
                case I16, U16 -> b.putShort(i * 2, (short) v);
                case I8, U8, BOOL -> b.put(i, (byte) v);
                default -> throw new IllegalArgumentException("encodeLongs needs an integer dtype, got " + dtype);
            }
        }
        return b;
    }

    private static void checkFits(DType dtype, long v, int index) {
        boolean ok = switch (dtype) {
            case I32 -> v == (int) v;
            case U32 -> v >= 0 && v <= 0xffffffffL;
            case I16 -> v == (short) v;
            case U16 -> v >= 0 && v <= 0xffff;
            case I8 -> v == (byte) v;
            case U8 -> v >= 0 && v <= 0xff;
            case BOOL -> v == 0 || v == 1;
            default -> true;
        };
        if (!ok) {
            throw new IllegalArgumentException("value " + v + " at index " + index + " does not fit " + dtype);
        }
    }

    private static void decodeShorts(DType dtype, ShortBuffer s, float[] dst, int at, int n) {
        short[] scratch = new short[Math.min(SCRATCH, n)];
        for (int done = 0; done < n; ) {
            int k = Math.min(scratch.length, n - done);
            s.get(scratch, 0, k);
            if (dtype == DType.F16) {
                for (int i = 0; i < k; i++) {
                    dst[at + done + i] = FloatFormats.f16ToFloat(scratch[i]);
                }
            } else {
                for (int i = 0; i < k; i++) {
                    dst[at + done + i] = FloatFormats.bf16ToFloat(scratch[i]);
                }
            }
            done += k;
        }
    }

    private static void decodeBytes(DType dtype, ByteBuffer b, float[] dst, int at, int n) {
        byte[] scratch = new byte[Math.min(SCRATCH, n)];
        for (int done = 0; done < n; ) {
            int k = Math.min(scratch.length, n - done);
            b.get(scratch, 0, k);
            for (int i = 0; i < k; i++) {
                byte v = scratch[i];
                dst[at + done + i] = switch (dtype) {
                    case F8_E4M3 -> FloatFormats.e4m3ToFloat(v);
                    case F8_E5M2 -> FloatFormats.e5m2ToFloat(v);
                    case I8 -> v;
                    case U8 -> v & 0xff;
                    default -> v != 0 ? 1f : 0f; // BOOL
                };
            }
            done += k;
        }
    }

    private static float unsignedToFloat(long v) {
        return v >= 0 ? (float) v : (float) ((v >>> 1) | (v & 1)) * 2f;
    }
}
