package dev.bakehouse.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Named tensors read from one file (a safetensors file or a {@code .ckpt}). Tensors are read
 * lazily, by key; every failure is a {@link TensorFileException} naming the file and key.
 */
public interface TensorSource extends AutoCloseable {

    Path path();

    /** Tensor keys, sorted. */
    List<String> names();

    boolean contains(String name);

    /** Dtype, shape and location of one tensor. */
    TensorInfo info(String name) throws TensorFileException;

    /** String metadata ({@code __metadata__} of a safetensors file; empty for a .ckpt). */
    Map<String, String> metadata();

    /** The tensor's raw little-endian bytes in row-major order (gathered if stored strided), read-only. */
    ByteBuffer view(String name) throws TensorFileException;

    /** A copy of the raw bytes. */
    default byte[] readBytes(String name) throws TensorFileException {
        ByteBuffer b = view(name);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Values as floats: narrow floats widened exactly, F64 and integers to the nearest float. */
    default float[] readFloats(String name) throws TensorFileException {
        TensorInfo info = info(name);
        float[] out = new float[Math.toIntExact(info.numel())];
        ElementCodec.decodeFloats(info.dtype(), view(name), out, 0);
        return out;
    }

    /**
     * The values as {@link #readFloats(String)} gives them, written as float32 in native byte order
     * at {@code into}'s position (which advances by 4 bytes per element). Loading weights into
     * native memory through a reused direct buffer this way needs no Java array per tensor; the
     * file formats that can decode straight into the buffer override it.
     */
    default void readFloats(String name, ByteBuffer into) throws TensorFileException {
        float[] values = readFloats(name);
        int bytes = Math.multiplyExact(values.length, Float.BYTES);
        into.slice(into.position(), bytes).order(ByteOrder.nativeOrder()).asFloatBuffer().put(values);
        into.position(into.position() + bytes);
    }

    /** Values of an integer or BOOL tensor, exactly. */
    default long[] readLongs(String name) throws TensorFileException {
        TensorInfo info = info(name);
        if (info.dtype().isFloatingPoint()) {
            throw new TensorFileException(path(), name, "is " + info.dtype() + "; readLongs needs an integer or BOOL tensor");
        }
        long[] out = new long[Math.toIntExact(info.numel())];
        ElementCodec.decodeLongs(info.dtype(), view(name), out, 0);
        return out;
    }

    @Override
    void close() throws IOException;
}
