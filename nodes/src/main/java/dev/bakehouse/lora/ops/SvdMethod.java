package dev.bakehouse.lora.ops;

import ai.djl.ndarray.NDManager;
import java.util.Locale;

/** How a dense weight difference is factorised. */
public enum SvdMethod {
    /** {@link RandomizedSvd}: the default, many times faster on full-size layers. */
    RANDOMIZED,
    /** {@link ExactSvd}: the full SVD, as kohya's {@code torch.linalg.svd}. */
    EXACT;

    public TruncatedSvd factorise(NDManager manager, float[] a, int rows, int cols, int k, RandomizedSvd.Settings settings) {
        return this == EXACT ? ExactSvd.of(a, rows, cols, k) : RandomizedSvd.of(manager, a, rows, cols, k, settings);
    }

    public static SvdMethod parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("svd method must be 'randomized' or 'exact', got '" + text + "'");
        }
    }
}
