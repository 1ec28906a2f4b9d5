package dev.bakehouse.model.sampling;

/**
 * An independent port of what {@code torch.manual_seed(seed); torch.randn(n)} computes on the CPU
 * for a float32 tensor of at least 16 elements, to check {@link TorchNoise} (which asks libtorch)
 * against something that is not libtorch: ATen's {@code mt19937} seeded with the low 32 bits of
 * the seed ({@code init_with_uint32}), one 24-bit uniform float per element, then Box–Muller over
 * blocks of 16 (first 8 as u1, last 8 as u2; {@code normal_fill_16}). Computed in double, so it
 * agrees with libtorch's float (or AVX2) arithmetic to about 1e-6.
 */
public final class Mt19937Randn {
    private static final int N = 624;
    private static final int M = 397;

    private final int[] state = new int[N];
    private int next = N;

    private Mt19937Randn(long seed) {
        state[0] = (int) seed; // ATen keeps seed & 0xffffffff in the state
        for (int j = 1; j < N; j++) {
            state[j] = 1812433253 * (state[j - 1] ^ (state[j - 1] >>> 30)) + j;
        }
    }

    /** {@code randn(n)} after {@code manual_seed(seedBits)} (the seed's unsigned 64 bits); {@code n % 16 == 0}. */
    public static float[] randn(long seedBits, int n) {
        if (n < 16 || n % 16 != 0) {
            throw new IllegalArgumentException("this port covers the 16-element blocks only, n=" + n);
        }
        Mt19937Randn mt = new Mt19937Randn(seedBits);
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (mt.nextInt() & 0xffffff) * 0x1.0p-24f;
        }
        for (int block = 0; block < n; block += 16) {
            for (int j = 0; j < 8; j++) {
                double u1 = 1 - data[block + j];
                double u2 = data[block + j + 8];
                double radius = Math.sqrt(-2 * Math.log(u1));
                double theta = 2 * Math.PI * u2;
                data[block + j] = (float) (radius * Math.cos(theta));
                data[block + j + 8] = (float) (radius * Math.sin(theta));
            }
        }
        return data;
    }

    private int nextInt() {
        if (next >= N) {
            for (int k = 0; k < N; k++) {
                int y = (state[k] & 0x80000000) | (state[(k + 1) % N] & 0x7fffffff);
                state[k] = state[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            next = 0;
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }
}
