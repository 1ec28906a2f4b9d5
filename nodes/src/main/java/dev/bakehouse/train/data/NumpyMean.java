package dev.bakehouse.train.data;

/**
 * {@code numpy.mean} of a float64 vector, bit for bit: numpy sums with pairwise summation
 * (blocks of up to 128 summed in eight interleaved partial sums, larger ranges split in halves
 * rounded down to a multiple of 8), then divides by n. {@code mean_img_ar_error} in
 * {@code ss_bucket_info} is this value.
 */
final class NumpyMean {
    private static final int BLOCK = 128;

    private NumpyMean() {}

    static double mean(double[] v) {
        return pairwiseSum(v, 0, v.length) / v.length;
    }

    static double pairwiseSum(double[] a, int off, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        }
        if (n <= BLOCK) {
            double[] r = new double[8];
            for (int j = 0; j < 8; j++) {
                r[j] = a[off + j];
            }
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[off + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return pairwiseSum(a, off, n2) + pairwiseSum(a, off + n2, n - n2);
    }
}
