package dev.bakehouse.train.optim;

import dev.bakehouse.tensor.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an optimizer needs to continue bit-exactly: its state tensors by name
 * ({@code <param>.<field>}, e.g. {@code lora_unet_..._to_q.lora_down.weight.exp_avg}) as raw
 * little-endian bytes, and its scalar bookkeeping ({@code step}, D-Adaptation's {@code d}, ...).
 * Written and read by {@link OptimizerStateFile}.
 *
 * @param optimizer the {@link OptimizerType#kohyaName()} that produced it; loading into another
 *                  optimizer is refused
 */
public record OptimizerState(String optimizer, Map<String, Tensor> tensors, Map<String, Double> scalars) {

    /** One state tensor: dtype ({@code F32}, or {@code U8} for 8-bit codes), shape, bytes. */
    public record Tensor(DType dtype, long[] shape, byte[] data) {
        public Tensor {
            Objects.requireNonNull(dtype, "dtype");
            shape = shape.clone();
            long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            if (n * dtype.size() != data.length) {
                throw new IllegalArgumentException("state tensor of shape " + Arrays.toString(shape) + " x "
                        + dtype + " needs " + n * dtype.size() + " bytes, got " + data.length);
            }
        }

        public float[] floats() {
            float[] out = new float[data.length / 4];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && dtype == t.dtype && Arrays.equals(shape, t.shape)
                    && Arrays.equals(data, t.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "Tensor[" + dtype + " " + Arrays.toString(shape) + "]";
        }
    }

    public OptimizerState {
        Objects.requireNonNull(optimizer, "optimizer");
        tensors = Map.copyOf(tensors);
        scalars = Map.copyOf(scalars);
    }

    /** A scalar that must be present (loading a state written by this optimizer). */
    public double scalar(String key) {
        Double v = scalars.get(key);
        if (v == null) {
            throw new IllegalArgumentException("optimizer state for " + optimizer + ": scalar '" + key
                    + "' missing; present: " + new java.util.TreeSet<>(scalars.keySet()));
        }
        return v;
    }

    /** Bytes held by the state tensors (what the 8-bit optimizers save). */
    public long tensorBytes() {
        return tensors.values().stream().mapToLong(t -> t.data().length).sum();
    }
}
