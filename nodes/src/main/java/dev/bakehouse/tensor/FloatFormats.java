package dev.bakehouse.tensor;

/**
 * Bit-exact conversions between {@code float} and the narrow float formats of tensor files:
 * IEEE half (F16), bfloat16 (BF16), and the two fp8 formats (F8_E4M3 = "e4m3fn": bias 7, no
 * infinities, S.1111.111 is NaN; F8_E5M2: bias 15, the top byte of a half).
 *
 * <p>Widening is exact (every narrow value is a float). Narrowing rounds to nearest, ties to even,
 * as PyTorch's casts do; out-of-range values become infinity (F16, BF16, F8_E5M2) or NaN
 * (F8_E4M3, which has no infinity). Java 17 has no {@code Float.float16ToFloat}, hence this class.
 */
public final class FloatFormats {
    private FloatFormats() {}

    private static final float[] F16_TABLE = new float[1 << 16];
    private static final float[] E4M3_TABLE = new float[256];
    private static final float[] E5M2_TABLE = new float[256];

    static {
        for (int h = 0; h < F16_TABLE.length; h++) {
            F16_TABLE[h] = decodeHalf(h);
        }
        for (int b = 0; b < 256; b++) {
            E4M3_TABLE[b] = decodeE4M3(b);
            E5M2_TABLE[b] = F16_TABLE[b << 8];
        }
    }

    /** The float an IEEE half holds (its 16 bits in the low bits of {@code bits}). */
    public static float f16ToFloat(short bits) {
        return F16_TABLE[bits & 0xffff];
    }

    /** The float a bfloat16 holds. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    public static float e4m3ToFloat(byte bits) {
        return E4M3_TABLE[bits & 0xff];
    }

    public static float e5m2ToFloat(byte bits) {
        return E5M2_TABLE[bits & 0xff];
    }

    /** Nearest half, ties to even; overflow gives infinity, NaN stays NaN. */
    public static short floatToF16(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int exp = (f >>> 23) & 0xff;
        int mant = f & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 31) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int m = mant >>> shift;
            int rem = mant & ((1 << shift) - 1);
            int half = 1 << (shift - 1);
            if (rem > half || (rem == half && (m & 1) != 0)) {
                m++;
            }
            return (short) (sign | m);
        }
        int h = sign | (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) != 0)) {
            h++; // a carry out of the mantissa correctly bumps the exponent, up to infinity
        }
        return (short) h;
    }

    /** Nearest bfloat16, ties to even; NaN stays NaN (quiet). */
    public static short floatToBf16(float value) {
        int f = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((f >>> 16) | 0x40);
        }
        return (short) ((f + 0x7fff + ((f >>> 16) & 1)) >>> 16);
    }

    public static byte floatToE4M3(float value) {
        // 464 is halfway between the largest value 448 and the next step 480; the tie goes to 448 (even).
        return encodeMini(value, E4M3_TABLE, 0x7e, 464f, false, (byte) 0x7f);
    }

    public static byte floatToE5M2(float value) {
        // 59392 is halfway between the largest value 57344 and 61440; the tie goes to infinity (even code).
        return encodeMini(value, E5M2_TABLE, 0x7b, 59392f, true, (byte) 0x7c);
    }

    private static float decodeHalf(int h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    private static float decodeE4M3(int b) {
        boolean negative = (b & 0x80) != 0;
        int exp = (b >>> 3) & 0xf;
        int mant = b & 0x7;
        float v;
        if (exp == 15 && mant == 7) {
            v = Float.NaN;
        } else if (exp == 0) {
            v = mant * 0x1p-9f;
        } else {
            v = (1 + mant / 8f) * (float) Math.scalb(1.0, exp - 7);
        }
        return negative ? -v : v;
    }

    /**
     * Nearest code among the positive codes 0..maxCode (whose values increase with the code),
     * ties to the even code. {@code overflowCode} is infinity or NaN, used from {@code overflowAt}.
     */
    private static byte encodeMini(float value, float[] table, int maxCode, float overflowAt,
                                   boolean tieAtOverflowGoesUp, byte overflowCode) {
        int sign = Float.floatToRawIntBits(value) < 0 ? 0x80 : 0;
        float a = Math.abs(value);
        if (Float.isNaN(value)) {
            return (byte) (sign | 0x7f);
        }
        if (a > overflowAt || (a == overflowAt && tieAtOverflowGoesUp)) {
            return (byte) (sign | overflowCode);
        }
        int lo = 0;
        int hi = maxCode;
        while (lo < hi) { // largest code whose value <= a
            int mid = (lo + hi + 1) >>> 1;
            if (table[mid] <= a) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int code = lo;
        if (code < maxCode) {
            double below = a - (double) table[code];
            double above = (double) table[code + 1] - a;
            if (above < below || (above == below && (code & 1) != 0)) {
                code++;
            }
        }
        return (byte) (sign | code);
    }
}
