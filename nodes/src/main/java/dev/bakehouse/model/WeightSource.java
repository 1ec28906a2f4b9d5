package dev.bakehouse.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * Named tensors a model's weights are read from: a checkpoint file, a synthetic in-memory state
 * dict, or a state dict built by a test. Names are the checkpoint's own keys.
 */
public interface WeightSource {
    /** Where the weights come from, for error messages (a file path, "synthetic SD1.5", ...). */
    String description();

    /** Every tensor name present. */
    Set<String> names();

    /** The tensor's shape, PyTorch layout; {@code long[0]} for a 0-dim tensor. */
    long[] shape(String name);

    /** The tensor's values as float32, widened from F16/BF16 where stored narrower. */
    float[] readFloats(String name);

    /**
     * The same values written as float32 in native byte order at {@code into}'s position, which
     * advances: {@link dev.bakehouse.model.nn.ParamStore#load} stages every weight through one
     * direct buffer this way. Sources that can decode straight into it override this.
     */
    default void readFloats(String name, ByteBuffer into) {
        float[] values = readFloats(name);
        int bytes = Math.multiplyExact(values.length, Float.BYTES);
        into.slice(into.position(), bytes).order(ByteOrder.nativeOrder()).asFloatBuffer().put(values);
        into.position(into.position() + bytes);
    }
}
