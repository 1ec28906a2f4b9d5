package dev.bakehouse.train.optim;

import java.util.Arrays;

/**
 * bitsandbytes' block-wise dynamic 8-bit quantisation of optimizer state: each block of
 * {@link #BLOCK_SIZE} values is scaled by its absolute maximum and every scaled value is stored
 * as the index of the nearest entry of the dynamic map (a dynamic exponent with a shrinking
 * fraction: fine steps near 0, coarse near 1). The signed map holds first moments, the unsigned
 * map second moments.
 */
final class DynamicQuantization {
    /** bitsandbytes' block size for 8-bit optimizer state (256 since 0.44; 2048 before). */
    static final int BLOCK_SIZE = 256;

    static final DynamicQuantization SIGNED = new DynamicQuantization(true);
    static final DynamicQuantization UNSIGNED = new DynamicQuantization(false);

    private final float[] code;
    private final float[] midpoints;

    private DynamicQuantization(boolean signed) {
        code = dynamicMap(signed);
        midpoints = new float[code.length - 1];
        for (int i = 0; i < midpoints.length; i++) {
            midpoints[i] = (code[i] + code[i + 1]) / 2f;
        }
    }

    float[] code() {
        return code.clone();
    }

    /**
     * The 256 sorted code values: for exponent i = 0..6 the midpoints of an even split of
     * [0.1, 1] into 2^i (signed, with both signs) or 2^(i+1) (unsigned) parts, scaled by
     * 10^(i-6); plus 0 and 1.
     */
    private static float[] dynamicMap(boolean signed) {
        float[] data = new float[256];
        int n = 0;
        for (int i = 0; i < 7; i++) {
            int items = (signed ? 1 << i : 1 << (i + 1)) + 1;
            float[] bounds = linspace(0.1f, 1f, items);
            float scale = (float) Math.pow(10, i - 6);
            for (int j = 0; j + 1 < items; j++) {
                float mean = (bounds[j] + bounds[j + 1]) / 2f;
                data[n++] = scale * mean;
                if (signed) {
                    data[n++] = -scale * mean;
                }
            }
        }
        data[n++] = 0f;
        data[n++] = 1f;
        if (n != 256) {
            throw new AssertionError("dynamic map has " + n + " entries");
        }
        Arrays.sort(data);
        return data;
    }

    /** torch.linspace in float32: from the start for the first half, from the end for the rest. */
    private static float[] linspace(float start, float end, int steps) {
        float[] out = new float[steps];
        float step = (end - start) / (steps - 1);
        int half = steps / 2;
        for (int i = 0; i < steps; i++) {
            out[i] = i < half ? start + step * i : end - step * (steps - i - 1);
        }
        return out;
    }

    static int blocks(long n) {
        return (int) ((n + BLOCK_SIZE - 1) / BLOCK_SIZE);
    }

    /** Quantises {@code x} into {@code codes} and writes each block's absmax into {@code absmax}. */
    void quantize(float[] x, byte[] codes, float[] absmax) {
        for (int b = 0; b < absmax.length; b++) {
            int from = b * BLOCK_SIZE;
            int to = Math.min(x.length, from + BLOCK_SIZE);
            float max = 0f;
            for (int i = from; i < to; i++) {
                max = Math.max(max, Math.abs(x[i]));
            }
            absmax[b] = max;
            float inv = 1f / Math.max(max, 1e-38f);
            for (int i = from; i < to; i++) {
                float scaled = Math.max(-1f, Math.min(1f, x[i] * inv));
                codes[i] = (byte) nearest(scaled);
            }
        }
    }

    /** The index of the nearest code value: how many midpoints lie strictly below {@code v}. */
    private int nearest(float v) {
        int lo = 0;
        int hi = midpoints.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (midpoints[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    float[] dequantize(byte[] codes, float[] absmax) {
        float[] out = new float[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = code[codes[i] & 0xff] * absmax[i / BLOCK_SIZE];
        }
        return out;
    }
}
