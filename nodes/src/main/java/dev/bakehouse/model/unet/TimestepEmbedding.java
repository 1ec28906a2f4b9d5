package dev.bakehouse.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The sinusoidal timestep embedding of LDM: [cos(t f_i) | sin(t f_i)], f_i = exp(-ln(10000) i / half).
 * Computed on the Java side in double: torch's float32 argument loses ~6e-5 at t = 999.
 */
public final class TimestepEmbedding {
    private static final double MAX_PERIOD = 10000.0;

    private TimestepEmbedding() {}

    /**
     * @param timesteps (B) or (1), any numeric type; a single value is used for every batch item
     * @return (batch, dim) float32 in {@code manager}
     */
    public static NDArray sinusoidal(NDArray timesteps, int dim, long batch, NDManager manager) {
        double[] t;
        try (NDArray asDouble = timesteps.toType(DataType.FLOAT64, true)) {
            t = asDouble.toDoubleArray();
        }
        if (t.length != batch && t.length != 1) {
            throw new IllegalArgumentException("timesteps: expected " + batch + " values (or 1), got " + t.length);
        }
        int half = dim / 2;
        float[] out = new float[(int) batch * dim];
        for (int b = 0; b < batch; b++) {
            double tb = t[t.length == 1 ? 0 : b];
            for (int i = 0; i < half; i++) {
                double arg = tb * Math.exp(-Math.log(MAX_PERIOD) * i / half);
                out[b * dim + i] = (float) Math.cos(arg);
                out[b * dim + half + i] = (float) Math.sin(arg);
            }
        }
        return manager.create(out, new Shape(batch, dim));
    }
}
